import Foundation
import Hummingbird
import NIOCore
import Relay

/// Reading and writing the admin API's JSON bodies, and mapping failures to `{"error","message"}` responses.
enum AdminJSON {
    /// Largest accepted request body.
    static let maxBodyBytes = 16 * 1024

    /// `value` as a JSON response (keys sorted, so output is stable).
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error response.
    static func error(_ error: XRPCError) -> Response { error.response }

    /// The request body decoded as `T`: at most ``maxBodyBytes``, a JSON object, every required field present
    /// with the right type. Anything else is 400 `InvalidRequest` (413 `PayloadTooLarge` when too big).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws(XRPCError) -> T {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw XRPCError(.contentTooLarge, "PayloadTooLarge", "request body over \(maxBodyBytes) bytes")
        } catch {
            throw .invalidRequest("request body could not be read")
        }
        return try decode(type, from: Array(buffer: body))
    }

    /// `bytes` decoded as `T`, with the same rules as the request form.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(XRPCError) -> T {
        guard !bytes.isEmpty else { throw .invalidRequest("request body must be a JSON object") }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidRequest(describe(error))
        } catch {
            throw .invalidRequest("request body is not valid JSON")
        }
    }

    /// A short reason naming the field, without Foundation's debug text.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "missing required field \(parent.isEmpty ? "" : parent + ".")\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty
                ? "request body must be a JSON object" : "field \(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "request body is not valid JSON" : "field \(path(context.codingPath)) has an invalid value"
        @unknown default:
            return "request body is not valid"
        }
    }

    /// The XRPC-style error of a failed admin operation (design: notFound 404, invalid 400, forbidden 403,
    /// failed 500).
    static func error(for failure: RelayAdminError) -> XRPCError {
        switch failure {
        case .notFound(let message): XRPCError(.notFound, "NotFound", message)
        case .invalid(let message): XRPCError(.badRequest, "InvalidRequest", message)
        case .forbidden(let message): XRPCError(.forbidden, "Forbidden", message)
        case .failed(let message): XRPCError(.internalServerError, "InternalError", message)
        }
    }
}
