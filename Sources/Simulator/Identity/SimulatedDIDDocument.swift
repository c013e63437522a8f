import ATCrypto
import Foundation

/// The atproto fields of a simulated account's DID document, and its JSON form as the PLC directory serves it.
public struct SimulatedDIDDocument: Sendable, Equatable {
    /// The DID (`id`).
    public var did: String
    /// The handle (`alsoKnownAs: ["at://<handle>"]`); nil leaves `alsoKnownAs` empty.
    public var handle: String?
    /// The `#atproto` signing key, as a Multikey string (`z…`).
    public var signingKey: String
    /// The `#atproto_pds` service endpoint (`http://127.0.0.1:<port>`); nil leaves the service out.
    public var pdsEndpoint: String?

    /// Creates a document.
    public init(did: String, handle: String?, signingKey: PublicKey, pdsEndpoint: String?) {
        self.did = did
        self.handle = handle
        self.signingKey = signingKey.multikey
        self.pdsEndpoint = pdsEndpoint
    }

    /// The JSON document (W3C DID core layout as the PLC directory returns it).
    public var json: [UInt8] {
        var object: [String: Any] = [
            "@context": [
                "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                "https://w3id.org/security/suites/secp256k1-2019/v1",
            ],
            "id": did,
            "alsoKnownAs": handle.map { ["at://" + $0] } ?? [String](),
            "verificationMethod": [
                ["id": did + "#atproto", "type": "Multikey", "controller": did, "publicKeyMultibase": signingKey]
            ],
        ]
        if let pdsEndpoint {
            object["service"] = [
                ["id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": pdsEndpoint]
            ]
        } else {
            object["service"] = [[String: String]]()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return [UInt8](data)
    }
}
