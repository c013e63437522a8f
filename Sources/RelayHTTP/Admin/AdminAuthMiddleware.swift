import Hummingbird

/// Lets a request through only with `Authorization: Bearer <token>`; otherwise answers 401 with
/// `{"error":"AuthRequired"|"InvalidToken","message":…}` and `WWW-Authenticate: Bearer`.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = RelayRequestContext

    let token: AdminToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let values = request.headers[values: .authorization]
        guard values.count == 1, let value = values.first else {
            return values.isEmpty
                ? Self.refusal("AuthRequired", "send Authorization: Bearer <admin token>")
                : Self.refusal("InvalidToken", "more than one Authorization header")
        }
        guard let presented = Self.bearerToken(value) else {
            return Self.refusal("AuthRequired", "the Authorization header must be Bearer <admin token>")
        }
        guard token.matches(presented) else {
            context.logger.warning("admin: refused a wrong token", metadata: [
                "client": "\(context.clientAddress)", "path": "\(request.uri.path)",
            ])
            return Self.refusal("InvalidToken", "the admin token is not valid")
        }
        return try await next(request, context)
    }

    /// The token bytes after `Bearer ` (scheme case-insensitive, RFC 9110), or nil for another scheme.
    static func bearerToken(_ value: String) -> ArraySlice<UInt8>? {
        let bytes = Array(value.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else { return nil }
        for index in scheme.indices {
            // ASCII lower-casing of letters; the space must match exactly.
            let byte = bytes[index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard lowered == scheme[index] else { return nil }
        }
        var start = scheme.count
        while start < bytes.count, bytes[start] == 0x20 { start += 1 }
        return start < bytes.count ? bytes[start...] : nil
    }

    static func refusal(_ error: String, _ message: String) -> Response {
        var response = AdminJSON.error(XRPCError(.unauthorized, error, message))
        response.headers[.wwwAuthenticate] = "Bearer realm=\"tributary-admin\""
        return response
    }
}
