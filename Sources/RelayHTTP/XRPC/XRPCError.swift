import Foundation
import Hummingbird

/// An XRPC error: `{"error": "<Name>", "message": "…"}` with an HTTP status.
public struct XRPCError: Error, Sendable, Equatable, HTTPResponseError {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Error name (no spaces).
    public var error: String
    /// Human-readable detail.
    public var message: String?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ error: String, _ message: String? = nil) {
        self.status = status
        self.error = error
        self.message = message
    }

    /// 400 InvalidRequest.
    public static func invalidRequest(_ message: String) -> XRPCError { XRPCError(.badRequest, "InvalidRequest", message) }

    /// The JSON body.
    public var body: [UInt8] {
        var object: [String: String] = ["error": error]
        if let message { object["message"] = message }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return [UInt8](data)
    }

    /// As a response.
    public var response: Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public func response(from _: Request, context _: some RequestContext) throws -> Response { response }
}
