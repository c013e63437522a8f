import ATRepo

/// Why an upstream event was not emitted; `label` is the `reason` of `tributary_events_dropped_total`.
public enum DropReason: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame could not be decoded (the connection is reopened from the committed cursor).
    case undecodableFrame
    /// A message type the relay does not know.
    case unknownMessageType
    /// Sync 1.1 verification of a `#commit` failed (label from the failure).
    case commitVerification(CommitVerificationFailure)
    /// `rev` is not a TID.
    case invalidRev
    /// `rev` not greater than the stored rev.
    case revNotNewer
    /// `rev` more than the allowed skew in the future.
    case revInFuture
    /// Signature invalid even after re-resolving the DID document.
    case badSignature
    /// The DID document could not be resolved or has no usable key/PDS.
    case identityUnavailable
    /// The DID's `#atproto_pds` is not this host, even after re-resolving.
    case hostAuthority
    /// Taken down (or otherwise disabled) by this relay.
    case accountTakenDown
    /// The host reports the account inactive.
    case accountInactive
    /// The account is over its host's account limit.
    case accountThrottled
    /// The host is banned.
    case hostBanned
    /// A `#sync` whose blocks exceed the lexicon's 10,000 bytes.
    case syncTooLarge
    /// A `#sync` whose CAR or commit is malformed (label from the failure).
    case syncVerification(CommitVerificationFailure)
    /// The DID in the frame is not a valid DID.
    case invalidDID

    /// Stable metric label.
    public var label: String {
        switch self {
        case .undecodableFrame: "undecodable_frame"
        case .unknownMessageType: "unknown_message_type"
        case .commitVerification(let failure): failure.reason
        case .invalidRev: "invalid_rev"
        case .revNotNewer: "rev_not_newer"
        case .revInFuture: "rev_in_future"
        case .badSignature: "bad_signature"
        case .identityUnavailable: "identity_unavailable"
        case .hostAuthority: "host_authority"
        case .accountTakenDown: "account_taken_down"
        case .accountInactive: "account_inactive"
        case .accountThrottled: "account_throttled"
        case .hostBanned: "host_banned"
        case .syncTooLarge: "sync_too_large"
        case .syncVerification(let failure): "sync_" + failure.reason
        case .invalidDID: "invalid_did"
        }
    }

    public var description: String {
        switch self {
        case .commitVerification(let failure), .syncVerification(let failure): "\(label): \(failure)"
        default: label
        }
    }
}
