import ATCrypto
import ATIdentity
import Foundation
import Synchronization

/// Paths and builders shared by the identity tests.
enum TestSupport {
    /// Package root: Tests/ATIdentityTests/TestSupport.swift → three levels up.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/realdata/<path>` bytes.
    static func realdata(_ path: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("../shared/realdata/" + path).standardizedFileURL
        return Array(try Data(contentsOf: url))
    }

    /// A DID document with a Multikey `#atproto` key, a PDS and a handle.
    static func document(
        did: String, key: PublicKey, pds: String = "https://pds.example.com", handle: String? = "alice.example.com"
    ) -> String {
        let aka = handle.map { "[\"at://\($0)\"]" } ?? "[]"
        return """
            {"@context":["https://www.w3.org/ns/did/v1"],"id":"\(did)","alsoKnownAs":\(aka),
             "verificationMethod":[{"id":"\(did)#atproto","type":"Multikey","controller":"\(did)",
               "publicKeyMultibase":"\(key.multikey)"}],
             "service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"\(pds)"}]}
            """
    }

    /// A syntactically valid did:plc from a number.
    static func plcDID(_ number: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var value = number
        var characters: [Character] = []
        for _ in 0..<24 {
            characters.append(alphabet[value % 32])
            value /= 32
        }
        return "did:plc:" + String(characters)
    }

    /// Resolver settings for the loopback test server.
    static func configuration(
        server: TestHTTPServer, timeout: Duration = .seconds(5), maxBytes: Int = 256 * 1024, concurrency: Int = 32
    ) -> ResolverConfiguration {
        let base = server.baseURL
        return ResolverConfiguration(
            plcURL: base, allowPrivateHosts: true, requestTimeout: timeout, maxResponseBytes: maxBytes,
            maxConcurrentRequests: concurrency, handleBaseURL: { _ in base })
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    /// The clock as the directory sees it.
    var identityClock: IdentityClock {
        IdentityClock { [self] in self.current.withLock { $0 } }
    }

    /// Moves time forward.
    func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
