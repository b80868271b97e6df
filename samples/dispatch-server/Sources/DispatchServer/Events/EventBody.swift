import NIOCore

/// How a batch body is framed, from its `Content-Type`.
enum BatchFraming: Sendable, Equatable {
    /// One JSON array of event objects (`application/json`).
    case jsonArray
    /// One event object per line (`application/x-ndjson`, `application/ndjson`, `application/jsonl`).
    case ndjson
}

/// Splits request bodies into event items.
///
/// **Errors in a batch** (the contract): a batch is answered item by item. An item that is
/// well-formed JSON but not a usable event (missing or non-finite coordinates, unknown CRS,
/// bad time, wrong types) gets an error result in its place, and the others are assigned; the
/// response is 200. An NDJSON line that is not JSON is such an item too (lines are separate
/// documents). A JSON-array body that is not JSON as a whole is refused with 400, naming the
/// byte offset: there is no reliable way to tell where its items begin and end.
enum EventBody {
    /// Reads the single event of `POST /v1/events`.
    ///
    /// - Throws: ``JSONSyntaxError`` for text that is not one JSON value.
    static func single(_ body: ByteBuffer) throws(JSONSyntaxError) -> Result<EventInput, EventProblem> {
        try body.withUnsafeReadableBytes { (bytes) throws(JSONSyntaxError) -> Result<EventInput, EventProblem> in
            var reader = EventJSONReader(bytes)
            reader.skipBOM()
            reader.skipWhitespace()
            if reader.atEnd { throw reader.syntax("the body is empty; expected an event object") }
            let result = try reader.readEvent()
            reader.skipWhitespace()
            guard reader.atEnd else { throw reader.syntax("text after the event object") }
            return result
        }
    }

    /// Why a batch cannot be read at all.
    enum BatchFailure: Error {
        case syntax(JSONSyntaxError)
        /// More than `limit` events (counted up to `limit + 1`).
        case tooMany(limit: Int)
        /// Not one event.
        case empty
    }

    /// Reads the events of `POST /v1/events:batch`, in order.
    static func batch(_ body: ByteBuffer, framing: BatchFraming, limit: Int) throws(BatchFailure) -> [EventItem] {
        try body.withUnsafeReadableBytes { (bytes) throws(BatchFailure) -> [EventItem] in
            switch framing {
            case .jsonArray: return try array(bytes, limit: limit)
            case .ndjson: return try lines(bytes, limit: limit)
            }
        }
    }

    private static func array(_ bytes: UnsafeRawBufferPointer, limit: Int) throws(BatchFailure) -> [EventItem] {
        var reader = EventJSONReader(bytes)
        var items: [EventItem] = []
        do {
            reader.skipBOM()
            reader.skipWhitespace()
            if reader.atEnd { throw BatchFailure.empty }
            try reader.expect(UInt8(ascii: "["), "a JSON array of events (or send application/x-ndjson)")
            reader.skipWhitespace()
            if reader.peek() == UInt8(ascii: "]") {
                reader.i += 1
            } else {
                while true {
                    guard items.count < limit else { throw BatchFailure.tooMany(limit: limit) }
                    switch try reader.readEvent() {
                    case .success(let e): items.append(.event(e))
                    case .failure(let p): items.append(.problem(p))
                    }
                    reader.skipWhitespace()
                    guard let c = reader.peek() else { throw reader.syntax("unexpected end of the body inside the array") }
                    reader.i += 1
                    if c == UInt8(ascii: "]") { break }
                    guard c == UInt8(ascii: ",") else { throw reader.syntax("expected ',' or ']' after an event, found \(reader.describe(c))", at: reader.i - 1) }
                }
            }
            reader.skipWhitespace()
            guard reader.atEnd else { throw reader.syntax("text after the array") }
        } catch let e as JSONSyntaxError {
            throw .syntax(e)
        } catch let e as BatchFailure {
            throw e
        } catch {
            // Nothing else is thrown above; keep the answer a 400 rather than trap if that changes.
            throw .syntax(JSONSyntaxError(offset: reader.i, field: nil, message: "\(error)"))
        }
        if items.isEmpty { throw .empty }
        return items
    }

    private static func lines(_ bytes: UnsafeRawBufferPointer, limit: Int) throws(BatchFailure) -> [EventItem] {
        var items: [EventItem] = []
        var start = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[start ..< end])
            defer { start = end + 1 }
            // Blank lines (and a final newline) are not events.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard items.count < limit else { throw .tooMany(limit: limit) }
            var reader = EventJSONReader(line, base: start)
            do throws(JSONSyntaxError) {
                let result = try reader.readEvent()
                reader.skipWhitespace()
                guard reader.atEnd else { throw reader.syntax("text after the event object on its line") }
                switch result {
                case .success(let e): items.append(.event(e))
                case .failure(let p): items.append(.problem(p))
                }
            } catch {
                items.append(.syntax(error))
            }
        }
        if items.isEmpty { throw .empty }
        return items
    }
}
