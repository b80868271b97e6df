import NIOCore

/// Request bodies → answer bodies, without HTTP: read the events, assign them against one
/// snapshot, write the JSON, count what happened.
///
/// The routes (``EventRoutes``) add the HTTP around this; the `bench` command calls it directly,
/// so the cost of the answers and the cost of the HTTP stack can be measured apart.
enum EventAnswers {
    /// One event body → its answer.
    ///
    /// - Parameter tally: receives the event's counts, or the field of the refusal.
    /// - Throws: ``APIError`` 400 for text that is not JSON or JSON that is not a usable event.
    static func single(_ body: ByteBuffer, snapshot: TwinSnapshot, options: AssignmentOptions,
                       tally: inout EventTally) throws(APIError) -> ByteBuffer {
        let event: EventInput
        do {
            switch try EventBody.single(body) {
            case .success(let e): event = e
            case .failure(let p):
                tally.refused(p.field)
                throw APIError(p)
            }
        } catch let e as JSONSyntaxError {
            tally.refused(e.field ?? "json")
            throw APIError(e)
        } catch let e as APIError {
            throw e
        } catch {
            throw APIError(.badRequest, "\(error)")
        }
        var assigner = EventAssigner(items: [.event(event)], snapshot: snapshot, options: options)
        if case .problem(let p) = assigner.items[0] {
            tally.refused(p.field)
            throw APIError(p)
        }
        var out = JSONOutput(capacity: 2048)
        assigner.writeAnswer(0, index: nil, into: &out)
        out.raw("\n")
        count(0, assigner, snapshot, into: &tally)
        return out.buffer
    }

    /// A batch body → one result per event, in order (errors per item; see ``EventBody``): a JSON
    /// object `{"count","assigned","failed","results":[…]}` for a JSON array, one line per event
    /// for NDJSON.
    ///
    /// - Throws: ``APIError`` 400 for an array that is not JSON or an empty batch, 413 for more
    ///   than `limit` events.
    static func batch(_ body: ByteBuffer, framing: BatchFraming, limit: Int, snapshot: TwinSnapshot,
                      options: AssignmentOptions, tally: inout EventTally) throws(APIError) -> ByteBuffer {
        let items: [EventItem]
        do {
            items = try EventBody.batch(body, framing: framing, limit: limit)
        } catch {
            switch error {
            case .syntax(let e): throw APIError(e)
            case .tooMany(let limit):
                throw APIError(.contentTooLarge, "the batch has more than \(limit) events", field: "events")
            case .empty:
                throw APIError(.badRequest, "the batch has no events", field: "events")
            }
        }
        var assigner = EventAssigner(items: items, snapshot: snapshot, options: options)
        // Answers run 1.3–1.8 KB with assets; reserving enough up front saves copying the whole answer as it grows.
        var out = JSONOutput(capacity: 64 + items.count * 1800)
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
                count(k, assigner, snapshot, into: &tally)
            case .problem(let p):
                writeItemError(k, message: p.message, field: p.field, into: &out)
                tally.refused(p.field)
            case .syntax(let e):
                writeItemError(k, message: "malformed JSON at byte \(e.offset): \(e.message)", field: e.field, into: &out)
                tally.refused(e.field ?? "json")
            }
            if framing == .ndjson { out.raw("\n") }
        }
        if framing == .jsonArray { out.raw("]}\n") }
        return out.buffer
    }

    static func writeItemError(_ k: Int, message: String, field: String?, into out: inout JSONOutput) {
        out.raw("{\"index\":"); out.integer(k)
        out.raw(",\"error\":"); out.string(message)
        out.raw(",\"field\":")
        if let field { out.string(field) } else { out.raw("null") }
        out.raw("}")
    }

    /// Adds item `k`'s cells and department to `tally`.
    static func count(_ k: Int, _ a: EventAssigner, _ s: TwinSnapshot, into tally: inout EventTally) {
        var inside = false
        for l in tally.byLayer.indices where a.cell(item: k, layer: l) >= 0 {
            tally.byLayer[l] += 1
            inside = true
        }
        if !inside { tally.outside += 1 }
        if let category = a.category(item: k), category.layer >= 0, a.cell(item: k, layer: category.layer) >= 0 {
            tally.byDepartment[category.layer + 1] += 1
        } else {
            tally.byDepartment[0] += 1
        }
    }
}
