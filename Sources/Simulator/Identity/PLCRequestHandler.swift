import Hummingbird

/// The PLC directory's routes, kept apart from its storage.
struct PLCRequestHandler: Sendable {
    /// What a DID lookup found.
    enum Lookup: Sendable {
        case found([UInt8])
        case tombstoned
        case unknown
    }

    let lookup: @Sendable (String) -> Lookup
    let handleLookup: @Sendable (String) -> String?

    func register(on router: Router<BasicRequestContext>) {
        router.get("/handles/:handle/.well-known/atproto-did") { _, context -> Response in
            guard let handle = context.parameters.get("handle"), let did = handleLookup(handle) else {
                return Self.json(.notFound, #"{"error":"NotFound","message":"unknown handle"}"#)
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: did)))
        }
        router.get("/:did") { _, context -> Response in
            guard let did = context.parameters.get("did") else {
                return Self.json(.badRequest, #"{"message":"missing DID"}"#)
            }
            switch lookup(did) {
            case .found(let document):
                return Response(status: .ok, headers: [.contentType: "application/did+ld+json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: document)))
            case .tombstoned:
                return Self.json(.gone, #"{"message":"DID not available"}"#)
            case .unknown:
                return Self.json(.notFound, #"{"message":"DID not registered"}"#)
            }
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
