import ArgumentParser
import TwinGeo

extension SearchKind: ExpressibleByArgument {}

/// An instant on the command line for `search`: ISO 8601, China Standard Time unless it says
/// otherwise (``EventTime``).
struct EventTimeArgument: ExpressibleByArgument {
    var seconds: Int64
    var text: String
    init?(argument: String) {
        guard let s = EventTime.unixSeconds(argument) else { return nil }
        seconds = s
        text = argument
    }
}

/// `twin-tool search TWIN.gpkg "关键字" [--from T --to T] [--category C] [--kind K …] [--limit N] [--json]`.
struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find events, buildings and assets by keyword, time range and category.",
        discussion: """
            Events (imported with twin-tool import-events) match when every space-separated term \
            of the keyword occurs in the address, description or category; newest first. Terms of \
            three or more characters use the trigram full-text index; one- and two-character terms \
            (积水, 噪声) are matched by a scan of the events the other conditions leave (a trigram \
            index cannot look up shorter text). Full-width digits and letters match ASCII ones. \
            --from/--to (ISO 8601; China Standard Time unless an offset is given; a date alone is \
            its midnight) and --category (exact; an unknown category just finds nothing) filter \
            events. Buildings match by address (路/弄/号/幢), id or code prefix; assets of every \
            kind by id or code prefix (cameras also by name). Buildings and assets have no time or \
            category, so with --from, --to or --category they are searched only when named by \
            --kind. At most --limit hits of each kind are listed, with the total.

            Example:
              twin-tool search putuo.gpkg 长寿路 --from 2025-06-01 --to 2025-06-30
              twin-tool search putuo.gpkg 积水 --category 积水 --kind event --json
              twin-tool search putuo.gpkg B00012 --kind building
            """
    )

    @OptionGroup var options: TwinOptions

    @Argument(help: ArgumentHelp("The keyword (space-separated terms must all match); may be empty with --from/--to/--category.",
                                 valueName: "keyword"))
    var keyword = ""

    @Option(help: "Events at or after this time (ISO 8601, e.g. 2025-06-01 or 2025-06-01T08:00:00+08:00).")
    var from: EventTimeArgument?

    @Option(help: "Events at or before this time.")
    var to: EventTimeArgument?

    @Option(help: "Events of this category (exact).")
    var category: String?

    @Option(help: "What to search (repeatable): event, building, asset. Default: all.")
    var kind: [SearchKind] = []

    @Option(help: "At most this many hits of each kind (1…10000).")
    var limit = 20

    @Flag(help: "Print one JSON object instead of tables.")
    var json = false

    func validate() throws {
        if let from, let to, from.seconds > to.seconds {
            throw ValidationError("--from \(from.text) is after --to \(to.text): the time range is empty")
        }
        guard (1 ... 10_000).contains(limit) else { throw ValidationError("--limit must be 1…10000, not \(limit)") }
        let hasFilter = from != nil || to != nil || category != nil
        if keyword.allSatisfy({ $0 == " " || $0 == "\u{3000}" || $0 == "\t" }) && !hasFilter {
            throw ValidationError("give a keyword, or --from/--to/--category")
        }
        if keyword.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("the keyword contains a control character")
        }
        if keyword.count > SearchQuery.maxKeywordLength {
            throw ValidationError("the keyword is \(keyword.count) characters; at most \(SearchQuery.maxKeywordLength) are searched")
        }
    }

    func run() throws {
        let search = try TwinSearch(path: options.twin)
        let query = SearchQuery(keyword: keyword, from: from?.seconds, to: to?.seconds, category: category,
                                kinds: kind.isEmpty ? nil : Set(kind), limit: limit)
        let result = try search.search(query)
        if !result.hasEvents && query.kinds.contains(.event) {
            Console.error("twin-tool: note: \(options.twin) has no events table; import events with twin-tool import-events")
        }
        Console.output(json ? SearchOutput.json(result, query: query) : SearchOutput.text(result, query: query))
    }
}

/// The two renderings of a search result.
enum SearchOutput {
    /// One block per kind searched: `Events: N of T` (newest first) and one aligned row per hit.
    static func text(_ result: SearchResult, query: SearchQuery) -> String {
        var blocks: [String] = []
        for kind in result.totals.keys.sorted() {
            let hits = result.hits.filter { $0.kind == kind }
            let total = result.totals[kind] ?? 0
            var head = "\(title(kind)): \(CLIFormat.count(hits.count)) of \(CLIFormat.count(total))"
            if kind == .event && !hits.isEmpty {
                head += result.usedLikeFallback ? " (newest first; 1–2-character terms matched by a scan)" : " (newest first)"
            }
            let rows = hits.map { hit -> [String] in
                let place = hit.location.map { "\(round8($0.x)),\(round8($0.y))" } ?? ""
                switch kind {
                case .event:
                    return [hit.id, hit.time ?? "", hit.category ?? "", hit.source ?? "", oneLine(hit.title), oneLine(hit.detail ?? "")]
                case .building:
                    return [hit.id, hit.title, hit.detail ?? "", place]
                case .asset:
                    return [hit.id, hit.category ?? "", oneLine(hit.title), place]
                }
            }
            blocks.append(rows.isEmpty ? head : head + "\n" + CLIFormat.table(rows))
        }
        return blocks.joined(separator: "\n")
    }

    /// `{"query": {…}, "has_events", "like_fallback", "totals": {kind: n}, "hits": [{…}]}`.
    static func json(_ result: SearchResult, query: SearchQuery) -> String {
        func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        func number(_ v: Double) -> JSONValue { JSONNumber(v).map { .number($0) } ?? .null }
        var q = JSONObject()
        q["keyword"] = .string(query.keyword)
        q["from"] = query.from.map { .string(EventTime.utcText($0)) } ?? .null
        q["to"] = query.to.map { .string(EventTime.utcText($0)) } ?? .null
        q["category"] = text(query.category)
        q["kinds"] = .array(result.totals.keys.sorted().map { .string($0.rawValue) })
        q["limit"] = .number(JSONNumber(query.limit))
        var totals = JSONObject()
        for kind in result.totals.keys.sorted() { totals[kind.rawValue] = .number(JSONNumber(result.totals[kind] ?? 0)) }
        let hits: [JSONValue] = result.hits.map { hit in
            var o = JSONObject()
            o["kind"] = .string(hit.kind.rawValue)
            o["id"] = .string(hit.id)
            o["title"] = .string(hit.title)
            o["time"] = text(hit.time)
            o["unix_seconds"] = hit.unixSeconds.map { .number(JSONNumber(Int($0))) } ?? .null
            o["category"] = text(hit.category)
            o["source"] = text(hit.source)
            o["detail"] = text(hit.detail)
            o["lon"] = hit.location.map { number(round8($0.x)) } ?? .null
            o["lat"] = hit.location.map { number(round8($0.y)) } ?? .null
            var cells = JSONObject()
            for layer in hit.cells.keys.sorted() { cells[layer] = .string(hit.cells[layer]!) }
            o["cells"] = .object(cells)
            return .object(o)
        }
        var root = JSONObject()
        root["query"] = .object(q)
        root["has_events"] = .bool(result.hasEvents)
        root["like_fallback"] = .bool(result.usedLikeFallback)
        root["totals"] = .object(totals)
        root["hits"] = .array(hits)
        return JSONValue.object(root).jsonText
    }

    static func title(_ kind: SearchKind) -> String {
        switch kind {
        case .event: "Events"
        case .building: "Buildings"
        case .asset: "Assets"
        }
    }

    static func oneLine(_ s: String) -> String {
        s.replacing("\r\n", with: " ").replacing("\n", with: " ").replacing("\r", with: " ")
    }

    static func round8(_ v: Double) -> Double { (v * 1e8).rounded() / 1e8 }
}
