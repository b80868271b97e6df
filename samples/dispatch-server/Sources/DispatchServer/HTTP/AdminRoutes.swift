import Hummingbird
import NIOCore

/// `POST /admin/reload`: reads the twin file again in the background and swaps it in.
///
/// **Who may call it.** With `TWIN_ADMIN_TOKEN` set, the request must carry
/// `Authorization: Bearer <token>` (compared in constant time); from any address. Without a
/// token, only clients on the loopback interface (127.0.0.0/8, ::1) may reload, and the server
/// refuses others with 403. SIGHUP does the same as this endpoint.
///
/// Answers 200 `{"status":"reloaded","previous":1,"generation":2,"seconds":0.84}`; 409 when the
/// file cannot be loaded (the previous twin stays in service; the error names the file).
struct AdminRoutes: Sendable {
    let holder: TwinHolder
    let token: String?
    let metrics: DispatchMetrics

    func reload(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        try authorise(request, context)
        do {
            let r = try await holder.reload()
            metrics.counter("dispatch_twin_reloads_total", ("result", "ok")).increment()
            metrics.generation.record(r.generation)
            var out = JSONOutput(capacity: 128)
            out.raw("{\"status\":\"reloaded\",\"previous\":"); out.integer(r.previous)
            out.raw(",\"generation\":"); out.integer(r.generation)
            out.raw(",\"seconds\":"); out.number((r.seconds * 1000).rounded() / 1000)
            out.raw("}\n")
            var headers: HTTPFields = [:]
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: out.buffer))
        } catch {
            metrics.counter("dispatch_twin_reloads_total", ("result", "failed")).increment()
            throw APIError(.conflict, "the twin file cannot be loaded, the previous twin (generation \(holder.current.generation)) "
                           + "stays in service: \(error)", field: "path")
        }
    }

    func authorise(_ request: Request, _ context: DispatchRequestContext) throws {
        if let token {
            guard let header = request.headers[.authorization] else {
                var e = APIError(.unauthorized, "Authorization: Bearer <token> is required", field: "Authorization")
                e.headers[.wwwAuthenticate] = "Bearer"
                throw e
            }
            let prefix = "Bearer "
            guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
                throw APIError(.forbidden, "the bearer token is not the admin token", field: "Authorization")
            }
            return
        }
        guard let address = context.remoteAddress, Self.isLoopback(address) else {
            throw APIError(.forbidden, "reload is allowed from loopback only (set TWIN_ADMIN_TOKEN to allow other clients with a token)")
        }
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: address.ipAddress?.hasPrefix("127.") ?? false
        case .v6: address.ipAddress == "::1" || (address.ipAddress?.hasPrefix("::ffff:127.") ?? false)
        case .unixDomainSocket: true
        }
    }

    /// Compares without an early exit, so timing does not tell how much of a guess was right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0 ..< max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }
}
