import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix
import Synchronization
import TwinGeo

/// `GET /v1/search?q=…&from=…&to=…&category=…&kind=…&limit=…`: the twin's keyword search
/// (``TwinSearch``: events imported into the twin, buildings by address, assets by id), the
/// same query and the same JSON as `twin-tool search --json`.
///
/// * `q`: space-separated terms that must all match (may be empty with a time range or category);
/// * `from`, `to`: ISO 8601 instants or dates, China Standard Time unless an offset is given;
/// * `category`: exact; `kind`: `event`, `building` or `asset` (repeatable or comma-separated);
/// * `limit`: hits per kind, 1…10,000 (default 20).
///
/// Each bad parameter is a 400 naming it. A search is SQLite work of milliseconds, so it runs on
/// NIO's blocking-I/O thread pool, never on the event loops that answer the events.
struct SearchRoutes: Sendable {
    let holder: TwinHolder

    func search(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        let query = try Self.query(request.uri)
        let snapshot = holder.current
        let result: SearchResult = try await NIOThreadPool.singleton.runIfActive {
            try snapshot.searchers.withSearcher { try $0.search(query) }
        }
        var out = JSONOutput(capacity: 1024 + result.hits.count * 256)
        Self.write(result, query: query, into: &out)
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: out.buffer))
    }

    /// The query of the URL's parameters.
    ///
    /// - Throws: ``APIError`` 400 naming the parameter.
    static func query(_ uri: URI) throws -> SearchQuery {
        let parameters = uri.queryParameters
        let keyword = String(parameters["q"] ?? "")
        func instant(_ name: String) throws -> Int64? {
            guard let text = parameters[Substring(name)] else { return nil }
            guard let seconds = TwinGeo.EventTime.unixSeconds(String(text)) else {
                throw APIError(.badRequest, "\(name) \"\(text)\" is not an ISO 8601 instant or date (2025-06-01, 2025-06-01T08:00:00+08:00)",
                               field: name)
            }
            return seconds
        }
        let from = try instant("from"), to = try instant("to")
        var kinds: Set<SearchKind>?
        for value in parameters[values: "kind"] {
            for name in value.split(separator: ",") {
                guard let kind = SearchKind(rawValue: String(name)) else {
                    throw APIError(.badRequest, "kind \"\(name)\" is not one of \(SearchKind.allCases.map(\.rawValue).joined(separator: ", "))",
                                   field: "kind")
                }
                kinds = (kinds ?? []).union([kind])
            }
        }
        var limit = 20
        if let text = parameters["limit"] {
            guard let n = Int(text), (1 ... 10_000).contains(n) else {
                throw APIError(.badRequest, "limit \"\(text)\" is not a whole number in 1…10000", field: "limit")
            }
            limit = n
        }
        let category = parameters["category"].map(String.init)
        if let from, let to, from > to {
            throw APIError(.badRequest, "the time range is empty: from is after to", field: "from")
        }
        guard keyword.count <= SearchQuery.maxKeywordLength else {
            throw APIError(.badRequest, "q has \(keyword.count) characters; at most \(SearchQuery.maxKeywordLength) are searched", field: "q")
        }
        if keyword.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw APIError(.badRequest, "q contains a control character", field: "q")
        }
        let blank = keyword.unicodeScalars.allSatisfy { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
        if blank && from == nil && to == nil && category == nil {
            throw APIError(.badRequest, "give q (a keyword), or from/to/category", field: "q")
        }
        return SearchQuery(keyword: keyword, from: from, to: to, category: category, kinds: kinds, limit: limit)
    }

    /// `{"query":{…},"has_events","like_fallback","totals":{kind: n},"hits":[{…}]}`, as `twin-tool search --json`.
    static func write(_ result: SearchResult, query: SearchQuery, into out: inout JSONOutput) {
        func text(_ s: String?) { if let s { out.string(s) } else { out.raw("null") } }
        let kinds = result.totals.keys.sorted()
        out.raw("{\"query\":{\"keyword\":"); out.string(query.keyword)
        out.raw(",\"from\":"); text(query.from.map(TwinGeo.EventTime.utcText))
        out.raw(",\"to\":"); text(query.to.map(TwinGeo.EventTime.utcText))
        out.raw(",\"category\":"); text(query.category)
        out.raw(",\"kinds\":[")
        for (j, kind) in kinds.enumerated() { if j > 0 { out.raw(",") }; out.string(kind.rawValue) }
        out.raw("],\"limit\":"); out.integer(query.limit)
        out.raw("},\"has_events\":"); out.raw(result.hasEvents ? "true" : "false")
        out.raw(",\"like_fallback\":"); out.raw(result.usedLikeFallback ? "true" : "false")
        out.raw(",\"totals\":{")
        for (j, kind) in kinds.enumerated() {
            if j > 0 { out.raw(",") }
            out.string(kind.rawValue); out.raw(":"); out.integer(result.totals[kind] ?? 0)
        }
        out.raw("},\"hits\":[")
        for (j, hit) in result.hits.enumerated() {
            if j > 0 { out.raw(",") }
            out.raw("{\"kind\":"); out.string(hit.kind.rawValue)
            out.raw(",\"id\":"); out.string(hit.id)
            out.raw(",\"title\":"); out.string(hit.title)
            out.raw(",\"time\":"); text(hit.time)
            out.raw(",\"unix_seconds\":"); if let s = hit.unixSeconds { out.integer(Int(s)) } else { out.raw("null") }
            out.raw(",\"category\":"); text(hit.category)
            out.raw(",\"source\":"); text(hit.source)
            out.raw(",\"detail\":"); text(hit.detail)
            out.raw(",\"lon\":"); if let p = hit.location { out.number((p.x * 1e8).rounded() / 1e8) } else { out.raw("null") }
            out.raw(",\"lat\":"); if let p = hit.location { out.number((p.y * 1e8).rounded() / 1e8) } else { out.raw("null") }
            out.raw(",\"cells\":{")
            for (i, layer) in hit.cells.keys.sorted().enumerated() {
                if i > 0 { out.raw(",") }
                out.string(layer); out.raw(":"); out.string(hit.cells[layer]!)
            }
            out.raw("}}")
        }
        out.raw("]}\n")
    }
}

/// Open ``TwinSearch`` connections of one snapshot, reused across requests.
///
/// `TwinSearch` holds one SQLite connection and is not `Sendable`: a connection is used by one
/// search at a time (taken out of the pool, put back after), and a reload's new snapshot
/// brings its own pool over the new file.
final class SearcherPool: @unchecked Sendable {
    let path: String
    // Guarded by the mutex: connections not in use.
    private let idle = Mutex<[UncheckedSearcher]>([])

    private struct UncheckedSearcher: @unchecked Sendable { let search: TwinSearch }

    init(path: String) { self.path = path }

    /// Runs `body` with a connection of its own.
    ///
    /// - Throws: what opening the file or `body` throws; ``TwinQueryError`` `.argument` becomes a 400.
    func withSearcher<T>(_ body: (TwinSearch) throws -> T) throws -> T {
        let searcher = try idle.withLock { $0.popLast() } ?? UncheckedSearcher(search: TwinSearch(path: path))
        defer { idle.withLock { if $0.count < 8 { $0.append(searcher) } } }
        do {
            return try body(searcher.search)
        } catch let e as TwinQueryError where e.code == .argument {
            throw APIError(.badRequest, e.message, field: "q")
        }
    }
}
