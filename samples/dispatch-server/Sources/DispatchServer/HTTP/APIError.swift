import Hummingbird
import NIOCore

/// A refused request: a 4xx status and `{"error": "...", "field": "lat"}`.
///
/// Every client mistake the server can detect ends here, with the member (or header, or path
/// part) that is wrong, so a client never sees a 500 for its own input.
struct APIError: HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var message: String
    /// The member, header or path part at fault; `nil` when the request as a whole is wrong.
    var field: String?
    /// Byte offset in the body, for JSON syntax errors.
    var offset: Int?
    /// Extra headers (e.g. `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, offset: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.offset = offset
    }

    /// A 400 for text that is not JSON.
    init(_ e: JSONSyntaxError) {
        self.init(.badRequest, "malformed JSON at byte \(e.offset): \(e.message)", field: e.field, offset: e.offset)
    }

    /// A 400 for JSON that is not a usable event.
    init(_ p: EventProblem) {
        self.init(.badRequest, p.message, field: p.field)
    }

    /// The error object's JSON bytes.
    var body: ByteBuffer {
        var out = JSONOutput(capacity: 96 + message.utf8.count)
        out.raw("{\"error\":"); out.string(message)
        out.raw(",\"field\":")
        if let field { out.string(field) } else { out.raw("null") }
        if let offset { out.raw(",\"offset\":"); out.integer(offset) }
        out.raw("}\n")
        return out.buffer
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
