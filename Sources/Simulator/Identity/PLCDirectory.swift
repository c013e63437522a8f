import Hummingbird
import Logging
import Synchronization

/// A PLC directory on loopback: `GET /<did>` answers the DID document JSON (404 unknown, 410 tombstoned), and
/// `GET /handles/<handle>/.well-known/atproto-did` answers the DID claiming a handle, so a resolver configured
/// with `handleBaseURL` = `handleBaseURL(for:)` can verify simulated handles.
public final class PLCDirectory: Sendable {
    private enum Entry: Sendable {
        case document(SimulatedDIDDocument)
        case tombstoned
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Lowercased handle → the DID that last claimed it: a relay verifies every account's handle, and a scan of
    /// all documents per request made the simulator, not the relay, the cost of a benchmark's cold start.
    private let handleIndex = Mutex<[String: String]>([:])
    private let server: Mutex<LoopbackServer?> = Mutex(nil)
    /// The bound port.
    public let port: Int
    /// The listen address.
    public let address: String

    private init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// Starts a directory on `address:port` (port 0 = ephemeral).
    public static func start(address: String = "127.0.0.1", port: Int = 0,
                             logger: Logger = Logger(label: "tributary.sim.plc")) async throws(SimulatorError)
        -> PLCDirectory
    {
        let box = Mutex<PLCDirectory?>(nil)
        let handler = PLCRequestHandler(lookup: { did in box.withLock { $0?.lookup(did) } ?? .unknown },
                                        handleLookup: { handle in box.withLock { $0?.did(forHandle: handle) } })
        let server = try await LoopbackServer.start(logger: logger) { onRunning in
            let router = Router()
            handler.register(on: router)
            return Application(router: router,
                               configuration: .init(address: .hostname(address, port: port), serverName: "sim-plc"),
                               onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                               logger: logger)
        }
        let directory = PLCDirectory(address: address, port: server.port)
        directory.server.withLock { $0 = server }
        box.withLock { $0 = directory }
        return directory
    }

    /// The directory's base URL (`http://127.0.0.1:<port>`), the resolver's `plcURL`.
    public var url: String { "http://\(address):\(port)" }

    /// A base URL whose `/.well-known/atproto-did` answers for `handle` (for `ResolverConfiguration.handleBaseURL`).
    public func handleBaseURL(for handle: String) -> String { url + "/handles/" + handle }

    /// Creates or replaces a document (a PLC operation).
    public func publish(_ document: SimulatedDIDDocument) {
        entries.withLock { $0[document.did] = .document(document) }
        index(document)
    }

    /// Changes an existing document; returns the new one, or nil if the DID is unknown or tombstoned.
    @discardableResult
    public func update(_ did: String, _ change: (inout SimulatedDIDDocument) -> Void) -> SimulatedDIDDocument? {
        let changed = entries.withLock { entries -> SimulatedDIDDocument? in
            guard case .document(var document) = entries[did] else { return nil }
            change(&document)
            entries[did] = .document(document)
            return document
        }
        if let changed { index(changed) }
        return changed
    }

    private func index(_ document: SimulatedDIDDocument) {
        guard let handle = document.handle else { return }
        handleIndex.withLock { $0[handle.lowercased()] = document.did }
    }

    /// Tombstones a DID (the directory then answers 410).
    public func tombstone(_ did: String) {
        entries.withLock { $0[did] = .tombstoned }
    }

    /// The current document of `did`.
    public func document(for did: String) -> SimulatedDIDDocument? {
        entries.withLock { entries in
            if case .document(let document) = entries[did] { return document }
            return nil
        }
    }

    /// Stops the server.
    public func shutdown() async {
        let server = self.server.withLock { server in
            defer { server = nil }
            return server
        }
        await server?.stop()
    }

    func lookup(_ did: String) -> PLCRequestHandler.Lookup {
        entries.withLock { entries in
            switch entries[did] {
            case .document(let document): .found(document.json)
            case .tombstoned: .tombstoned
            case nil: .unknown
            }
        }
    }

    func did(forHandle handle: String) -> String? {
        let wanted = handle.lowercased()
        let indexed = handleIndex.withLock { $0[wanted] }
        return entries.withLock { entries in
            // The index is a hint: it is right unless that DID has since changed its handle or been tombstoned,
            // and then (rarely) every document is searched.
            if let indexed, case .document(let document) = entries[indexed], document.handle?.lowercased() == wanted {
                return indexed
            }
            for case (let did, .document(let document)) in entries where document.handle?.lowercased() == wanted {
                return did
            }
            return nil
        }
    }
}
