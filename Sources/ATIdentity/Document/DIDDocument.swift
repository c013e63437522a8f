import ATCrypto
import Foundation

/// Reads the atproto fields of a DID document (JSON): the `#atproto` key, the `#atproto_pds` origin, the handle.
public enum DIDDocument {
    /// Documents larger than this are refused before parsing.
    public static let maxBytes = 256 * 1024
    /// Entries considered per array (`alsoKnownAs`, `verificationMethod`, `service`); real documents have a few.
    static let maxEntries = 64

    /// Parses `bytes` as the document of `did`; the document's `id` must equal `did`.
    ///
    /// A missing or malformed key or service does not fail the parse: the identity is then not functional
    /// (`Identity.isFunctional`), which the relay treats as "ignore commits", not as "unknown account".
    public static func parse(_ bytes: [UInt8], did: String) throws(IdentityError) -> Identity {
        guard bytes.count <= maxBytes else { throw .responseTooLarge }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw .invalidDocument("not JSON")
        }
        guard let document = object as? [String: Any] else { throw .invalidDocument("not a JSON object") }
        guard let id = document["id"] as? String else { throw .invalidDocument("missing id") }
        guard id == did else { throw .documentIDMismatch(expected: did, found: id) }
        return Identity(
            did: did,
            handle: handle(in: document["alsoKnownAs"]),
            signingKey: signingKey(in: document["verificationMethod"], did: did),
            pdsEndpoint: pdsEndpoint(in: document["service"], did: did))
    }

    /// First `at://` entry of `alsoKnownAs` that is a syntactically valid handle, lowercased.
    static func handle(in value: Any?) -> String? {
        guard let entries = value as? [Any] else { return nil }
        for case let entry as String in entries.prefix(maxEntries) where entry.hasPrefix("at://") {
            if let handle = HandleSyntax.normalize(entry.dropFirst(5)) { return handle }
        }
        return nil
    }

    /// The first verification method with id `#atproto` or `<did>#atproto` and controller `did`.
    static func signingKey(in value: Any?, did: String) -> PublicKey? {
        guard let methods = value as? [Any] else { return nil }
        for case let method as [String: Any] in methods.prefix(maxEntries) {
            guard let id = method["id"] as? String, isFragment(id, "atproto", of: did) else { continue }
            guard method["controller"] as? String == did, let type = method["type"] as? String,
                let multibase = method["publicKeyMultibase"] as? String
            else { return nil }
            if type == "Multikey" { return try? PublicKey(multikey: multibase) }
            if let curve = KeyCurve(legacyVerificationMethodType: type) {
                return try? PublicKey(legacyMultibase: multibase, curve: curve)
            }
            return nil
        }
        return nil
    }

    /// Origin of the first service with id `#atproto_pds` / `<did>#atproto_pds` and type AtprotoPersonalDataServer.
    static func pdsEndpoint(in value: Any?, did: String) -> String? {
        guard let services = value as? [Any] else { return nil }
        for case let service as [String: Any] in services.prefix(maxEntries) {
            guard let id = service["id"] as? String, isFragment(id, "atproto_pds", of: did),
                service["type"] as? String == "AtprotoPersonalDataServer"
            else { continue }
            guard let endpoint = service["serviceEndpoint"] as? String else { return nil }
            return origin(of: endpoint)
        }
        return nil
    }

    /// `#name` or `<did>#name`.
    static func isFragment(_ id: String, _ name: String, of did: String) -> Bool {
        id == "#" + name || id == did + "#" + name
    }

    /// `scheme://host[:port]` (lowercased scheme and host) of an http(s) URL without credentials, query or
    /// fragment, whose path is empty or "/"; nil otherwise.
    public static func origin(of endpoint: String) -> String? {
        guard endpoint.utf8.count <= 2048, let components = URLComponents(string: endpoint),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host?.lowercased(), !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, components.path.isEmpty || components.path == "/"
        else { return nil }
        // IPv6 literals keep their brackets in an origin.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = components.port {
            guard (1...65535).contains(port) else { return nil }
            return "\(scheme)://\(hostPart):\(port)"
        }
        return "\(scheme)://\(hostPart)"
    }
}
