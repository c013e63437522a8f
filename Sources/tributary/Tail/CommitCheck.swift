/// The outcome of `--verify` for one `#commit`.
enum CommitCheck: Sendable, Equatable {
    /// How much of the commit could be checked.
    enum Scope: String, Sendable, Equatable {
        /// Signature and the full Sync 1.1 check (MST proof, ops against the tree, inversion to `prevData`).
        case full
        /// A proof-stripped commit: signature, commit fields and record blocks only (the MST nodes are gone).
        case signature
    }

    case verified(Scope)
    /// `reason` is a short stable label (`bad_signature`, `inversion_mismatch`, `identity_unavailable`, …), `detail`
    /// an optional explanation for people.
    case failed(reason: String, detail: String?)

    /// The text after an event line: `verified`, `verified (signature only)` or `FAILED: <reason>[ (<detail>)]`.
    var text: String {
        switch self {
        case .verified(.full): "verified"
        case .verified(.signature): "verified (signature only)"
        case .failed(let reason, let detail): "FAILED: \(reason)" + (detail.map { " (\($0))" } ?? "")
        }
    }

    /// The JSON fields: `verified`, then `verifyScope` or `verifyError` (and `verifyDetail` when there is one).
    func addFields(to line: inout JSONLine) {
        switch self {
        case .verified(let scope):
            line.add("verified", .bool(true))
            line.add("verifyScope", .string(scope.rawValue))
        case .failed(let reason, let detail):
            line.add("verified", .bool(false))
            line.add("verifyError", .string(reason))
            if let detail { line.add("verifyDetail", .string(detail)) }
        }
    }
}
