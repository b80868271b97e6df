import Hummingbird
import HTTPTypes
import NIOCore

/// `POST /v1/events` and `POST /v1/events:batch`.
struct EventRoutes: Sendable {
    let holder: TwinHolder
    let configuration: ServerConfiguration
    let metrics: DispatchMetrics

    /// One event → its assignment (200), or a 4xx naming the field.
    func single(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        try HTTPBody.requireJSON(request)
        let body = try await HTTPBody.collect(request, limit: configuration.maxEventBytes)
        let event: EventInput
        do {
            switch try EventBody.single(body) {
            case .success(let e): event = e
            case .failure(let p):
                metrics.record(Self.errorTally(p.field, layers: 0), layerNames: [])
                throw APIError(p)
            }
        } catch let e as JSONSyntaxError {
            metrics.record(Self.errorTally(e.field ?? "json", layers: 0), layerNames: [])
            throw APIError(e)
        }
        let snapshot = holder.current
        var assigner = EventAssigner(items: [.event(event)], snapshot: snapshot, options: configuration.assignmentOptions)
        if case .problem(let p) = assigner.items[0] {
            metrics.record(Self.errorTally(p.field, layers: 0), layerNames: [])
            throw APIError(p)
        }
        var out = JSONOutput(capacity: 1024)
        assigner.writeAnswer(0, index: nil, into: &out)
        out.raw("\n")
        var tally = EventTally(layers: snapshot.twin.layers.count)
        Self.count(0, assigner, snapshot, into: &tally)
        metrics.record(tally, layerNames: snapshot.twin.layerNames)
        return Self.json(out.buffer, snapshot: snapshot)
    }

    /// Up to ``ServerConfiguration/maxBatchEvents`` events → one result per event, in order
    /// (errors per item; see ``EventBody``). The answer follows the request's framing: a JSON
    /// object `{"count","assigned","failed","results":[…]}` for a JSON array, one line per
    /// event for NDJSON.
    func batch(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        let framing = try HTTPBody.batchFraming(request)
        let body = try await HTTPBody.collect(request, limit: configuration.maxBodyBytes)
        let items: [EventItem]
        do {
            items = try EventBody.batch(body, framing: framing, limit: configuration.maxBatchEvents)
        } catch {
            switch error {
            case .syntax(let e): throw APIError(e)
            case .tooMany(let limit):
                throw APIError(.contentTooLarge, "the batch has more than \(limit) events", field: "events")
            case .empty:
                throw APIError(.badRequest, "the batch has no events", field: "events")
            }
        }
        let snapshot = holder.current
        var assigner = EventAssigner(items: items, snapshot: snapshot, options: configuration.assignmentOptions)
        var tally = EventTally(layers: snapshot.twin.layers.count)
        var out = JSONOutput(capacity: 64 + items.count * 900)
        var assigned = 0
        for k in items.indices where assigner.isAssigned(k) { assigned += 1 }
        if framing == .jsonArray {
            out.raw("{\"count\":"); out.integer(items.count)
            out.raw(",\"assigned\":"); out.integer(assigned)
            out.raw(",\"failed\":"); out.integer(items.count - assigned)
            out.raw(",\"results\":[")
        }
        for k in items.indices {
            if framing == .jsonArray && k > 0 { out.raw(",") }
            switch assigner.items[k] {
            case .event:
                assigner.writeAnswer(k, index: k, into: &out)
                Self.count(k, assigner, snapshot, into: &tally)
            case .problem(let p):
                Self.writeItemError(k, message: p.message, field: p.field, into: &out)
                tally.errors[p.field ?? "event", default: 0] += 1
            case .syntax(let e):
                Self.writeItemError(k, message: "malformed JSON at byte \(e.offset): \(e.message)", field: e.field, into: &out)
                tally.errors[e.field ?? "json", default: 0] += 1
            }
            if framing == .ndjson { out.raw("\n") }
        }
        if framing == .jsonArray { out.raw("]}\n") }
        metrics.record(tally, layerNames: snapshot.twin.layerNames)
        return Self.json(out.buffer, snapshot: snapshot, ndjson: framing == .ndjson)
    }

    static func writeItemError(_ k: Int, message: String, field: String?, into out: inout JSONOutput) {
        out.raw("{\"index\":"); out.integer(k)
        out.raw(",\"error\":"); out.string(message)
        out.raw(",\"field\":")
        if let field { out.string(field) } else { out.raw("null") }
        out.raw("}")
    }

    static func errorTally(_ field: String?, layers: Int) -> EventTally {
        var t = EventTally(layers: layers)
        t.errors[field ?? "event"] = 1
        return t
    }

    /// Adds item `k`'s cells and department to `tally`.
    static func count(_ k: Int, _ a: EventAssigner, _ s: TwinSnapshot, into tally: inout EventTally) {
        var inside = false
        for l in tally.byLayer.indices where a.cell(item: k, layer: l) >= 0 {
            tally.byLayer[l] += 1
            inside = true
        }
        if !inside { tally.outside += 1 }
        guard case .event(let e) = a.items[k] else { return }
        if let rule = s.responsible[e.category], a.cell(item: k, layer: rule.layer) >= 0 {
            tally.byDepartment[s.twin.layers[rule.layer].name, default: 0] += 1
        } else {
            tally.byDepartment["none", default: 0] += 1
        }
    }

    /// A 200 JSON (or NDJSON) answer naming the twin generation that answered.
    static func json(_ body: ByteBuffer, snapshot: TwinSnapshot, ndjson: Bool = false) -> Response {
        var headers: HTTPFields = [:]
        headers[.contentType] = ndjson ? "application/x-ndjson; charset=utf-8" : "application/json; charset=utf-8"
        headers[TwinHeaders.generation] = String(snapshot.generation)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

/// Headers the server adds.
enum TwinHeaders {
    /// Which loaded twin answered (1 for the first load, +1 per reload).
    static let generation = HTTPField.Name("X-Twin-Generation")!
}
