import Hummingbird
import NIOCore

/// Reading request bodies within limits, and content types.
enum HTTPBody {
    /// The body, at most `limit` bytes.
    ///
    /// - Throws: ``APIError`` 413 when `Content-Length` or the bytes received exceed `limit`
    ///   (refused before reading when the header says so).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let text = request.headers[.contentLength], let length = Int(text), length > limit {
            throw APIError(.contentTooLarge, "the body has \(length) bytes; the limit is \(limit)", field: "Content-Length")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is over the limit of \(limit) bytes", field: "Content-Length")
        }
    }

    /// The media type of `Content-Type`, lower-cased, without parameters; `nil` when absent.
    static func mediaType(_ request: Request) -> Substring? {
        guard let value = request.headers[.contentType] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return Substring(type.trimmingCharacters(in: " \t").lowercased())
    }

    /// Requires a JSON body (`application/json`, or any `+json` type).
    static func requireJSON(_ request: Request) throws {
        // The common spellings without building lower-cased copies (this runs on every event).
        if let value = request.headers[.contentType],
           value == "application/json" || value == "application/json; charset=utf-8" || value == "application/json;charset=utf-8" {
            return
        }
        guard let type = mediaType(request) else {
            throw APIError(.unsupportedMediaType, "Content-Type is missing; send application/json", field: "Content-Type")
        }
        guard type == "application/json" || type.hasSuffix("+json") else {
            throw APIError(.unsupportedMediaType, "Content-Type \(type) is not supported; send application/json", field: "Content-Type")
        }
    }

    /// The framing of a batch from its `Content-Type`.
    static func batchFraming(_ request: Request) throws -> BatchFraming {
        guard let type = mediaType(request) else {
            throw APIError(.unsupportedMediaType, "Content-Type is missing; send application/json (an array) or application/x-ndjson",
                           field: "Content-Type")
        }
        switch type {
        case "application/json": return .jsonArray
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": return .ndjson
        default:
            throw APIError(.unsupportedMediaType, "Content-Type \(type) is not supported; send application/json (an array) "
                           + "or application/x-ndjson", field: "Content-Type")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
