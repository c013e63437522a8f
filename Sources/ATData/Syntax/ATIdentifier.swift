/// An account reference that is either a DID or a handle (the `at-identifier` format, AT-URI authorities).
public enum ATIdentifier: SyntaxChecked {
    /// A DID.
    case did(DID)
    /// A handle (normalized to lowercase).
    case handle(Handle)

    /// Checks `string` as a DID if it starts with `did:`, otherwise as a handle.
    public init(_ string: String) throws(SyntaxError) {
        let isDID = string.utf8.starts(with: "did:".utf8)
        do {
            self = isDID ? .did(try DID(string)) : .handle(try Handle(string))
        } catch {
            throw .invalidComponent(.atIdentifier, component: isDID ? .did : .handle)
        }
    }

    /// True if `string` is a valid DID or handle.
    public static func isValid(_ string: String) -> Bool {
        string.utf8.starts(with: "did:".utf8) ? DID.isValid(string) : Handle.isValid(string)
    }

    /// Throws the reason `string` is neither a valid DID nor a valid handle.
    public static func validate(_ string: String) throws(SyntaxError) {
        _ = try ATIdentifier(string)
    }

    /// The DID or (normalized) handle string.
    public var string: String {
        switch self {
        case .did(let did): did.string
        case .handle(let handle): handle.string
        }
    }

    /// The DID, if this is one.
    public var did: DID? {
        if case .did(let did) = self { return did }
        return nil
    }

    /// The handle, if this is one.
    public var handle: Handle? {
        if case .handle(let handle) = self { return handle }
        return nil
    }
}
