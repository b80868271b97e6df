import Hummingbird
import HTTPTypes
import NIOCore

/// `POST /v1/events` and `POST /v1/events:batch`.
struct EventRoutes: Sendable {
    let holder: TwinHolder
    let configuration: ServerConfiguration
    let metrics: DispatchMetrics

    /// One event → its assignment (200), or a 4xx naming the field. `?fields=cells,responsible`
    /// limits the answer to those parts (see ``AnswerFields``).
    func single(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        try HTTPBody.requireJSON(request)
        let body = try await HTTPBody.collect(request, limit: configuration.maxEventBytes)
        let snapshot = holder.current
        var tally = EventTally(layers: snapshot.twin.layers.count)
        defer { metrics.record(tally, snapshot: snapshot) }
        let answer = try EventAnswers.single(body, snapshot: snapshot, options: try options(request), tally: &tally)
        return Self.json(answer, snapshot: snapshot)
    }

    /// Up to ``ServerConfiguration/maxBatchEvents`` events → one result per event, in order
    /// (errors per item; see ``EventBody``). The answer follows the request's framing: a JSON
    /// object `{"count","assigned","failed","results":[…]}` for a JSON array, one line per
    /// event for NDJSON.
    func batch(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        let framing = try HTTPBody.batchFraming(request)
        let body = try await HTTPBody.collect(request, limit: configuration.maxBodyBytes)
        let snapshot = holder.current
        var tally = EventTally(layers: snapshot.twin.layers.count)
        defer { metrics.record(tally, snapshot: snapshot) }
        let answer = try EventAnswers.batch(body, framing: framing, limit: configuration.maxBatchEvents, snapshot: snapshot,
                                            options: try options(request), tally: &tally)
        return Self.json(answer, snapshot: snapshot, ndjson: framing == .ndjson)
    }

    /// The configured limits, and the parts of the answer the request asks for (`?fields=`).
    func options(_ request: Request) throws -> AssignmentOptions {
        var options = configuration.assignmentOptions
        if let query = request.uri.query, query.contains("fields="), let text = request.uri.queryParameters["fields"] {
            options.fields = try AnswerFields.parse(text)
        }
        return options
    }

    /// A 200 JSON (or NDJSON) answer naming the twin generation that answered.
    static func json(_ body: ByteBuffer, snapshot: TwinSnapshot, ndjson: Bool = false) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = ndjson ? "application/x-ndjson; charset=utf-8" : "application/json; charset=utf-8"
        headers[TwinHeaders.generation] = snapshot.generationText
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

/// Headers the server adds.
enum TwinHeaders {
    /// Which loaded twin answered (1 for the first load, +1 per reload).
    static let generation = HTTPField.Name("X-Twin-Generation")!
}
