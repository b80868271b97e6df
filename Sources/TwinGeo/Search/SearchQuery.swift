/// What ``TwinSearch/search(_:)`` looks through.
public enum SearchKind: String, CaseIterable, Sendable, Hashable, Comparable {
    /// Imported events (``EventStore``): address, description, category, time.
    case event
    /// Buildings of the asset tables, by address (路/弄/号/幢), id or code.
    case building
    /// Assets of every kind (buildings, pipes, cameras, sensors) by id or code, cameras also by name.
    case asset

    public static func < (a: SearchKind, b: SearchKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A search: a keyword, and for events a time range and a category.
///
/// The keyword is split at spaces into terms; every term must match (AND). Terms of three or
/// more characters use the FTS5 trigram index; shorter terms (one or two Chinese characters
/// are common: 积水, 噪声) cannot, because a trigram index has no entry shorter than three
/// characters, and are matched with `LIKE '%term%'` over the rows the other conditions leave
/// (time range, category, the long terms), which is a scan of those rows. Full-width ASCII in
/// the keyword is folded to ASCII and events are also indexed by such a folded address, so
/// `５８８弄` finds `588弄`. A term is also tried in the address normalizer's form against the
/// event's folded address and the building's address, so Chinese numerals before a unit match
/// digits: `长寿路五百八十八弄` finds `长寿路588弄12号` and `588弄十二号` finds `588弄12号`.
public struct SearchQuery: Sendable, Hashable {
    /// The keyword (may be empty when a time range or category is given).
    public var keyword: String
    /// Events at or after this Unix second.
    public var from: Int64?
    /// Events at or before this Unix second.
    public var to: Int64?
    /// Events of exactly this category (an unknown category simply matches nothing).
    public var category: String?
    /// What to search. Buildings and assets have no time or category: when `from`, `to` or
    /// `category` is set, they are searched only if named here explicitly (``explicitKinds``).
    public var kinds: Set<SearchKind>
    /// Whether ``kinds`` was chosen by the caller (rather than the default, everything).
    public var explicitKinds: Bool
    /// At most this many hits per kind (1…10,000).
    public var limit: Int

    /// The longest keyword accepted, in characters.
    public static let maxKeywordLength = 256

    public init(keyword: String, from: Int64? = nil, to: Int64? = nil, category: String? = nil,
                kinds: Set<SearchKind>? = nil, limit: Int = 20) {
        self.keyword = keyword
        self.from = from
        self.to = to
        self.category = category
        self.kinds = kinds ?? Set(SearchKind.allCases)
        self.explicitKinds = kinds != nil
        self.limit = limit
    }

    /// The keyword's terms: folded (full-width → ASCII) and split at spaces.
    var terms: [String] {
        EventTable.searchKeyKeepingSpaces(keyword).split(separator: " ").map(String.init)
    }

    /// A term in the address normalizer's folded form (``EventTable/addressKey(_:)``), when that
    /// differs from the term and is long enough for the trigram index; else `nil`.
    static func addressVariant(_ term: String) -> String? {
        let key = EventTable.addressKey(term)
        return key != term && key.count >= 3 ? key : nil
    }

    /// The kinds actually searched (see ``kinds``).
    var effectiveKinds: Set<SearchKind> {
        if explicitKinds || (from == nil && to == nil && category == nil) { return kinds }
        return kinds.intersection([.event])
    }

    /// Throws unless the query can be run.
    func check() throws {
        let at = SourceLocation(field: "search")
        if let from, let to, from > to {
            throw TwinQueryError(.argument, "the time range is empty: from \(EventTime.utcText(from)) is after to \(EventTime.utcText(to))", at: at)
        }
        guard (1 ... 10_000).contains(limit) else { throw TwinQueryError(.argument, "the limit must be 1…10000, not \(limit)", at: at) }
        guard keyword.count <= SearchQuery.maxKeywordLength else {
            throw TwinQueryError(.argument, "the keyword is \(keyword.count) characters; at most \(SearchQuery.maxKeywordLength) are searched", at: at)
        }
        guard !kinds.isEmpty else { throw TwinQueryError(.argument, "no kind to search", at: at) }
        if terms.isEmpty && from == nil && to == nil && category == nil {
            throw TwinQueryError(.argument, "give a keyword, a time range or a category", at: at)
        }
        if keyword.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw TwinQueryError(.argument, "the keyword contains a control character", at: at)
        }
    }
}

/// One thing a search found.
public struct SearchHit: Hashable, Sendable {
    public var kind: SearchKind
    /// The event id or asset id.
    public var id: String
    /// The address (events, buildings) or the name (cameras), else the asset's code.
    public var title: String
    /// Events: the time as written, and in Unix seconds.
    public var time: String?
    public var unixSeconds: Int64?
    /// Events: category and source; assets: the asset kind in ``category``.
    public var category: String?
    public var source: String?
    /// Events: the description; buildings: the use; assets: the code.
    public var detail: String?
    /// Events: the point; buildings: the footprint's vertex mean; point assets: the point.
    public var location: Coordinate?
    /// Events: `layer → cell code` at the point, in layer-name order.
    public var cells: [String: String]
}

/// The answer of ``TwinSearch/search(_:)``.
public struct SearchResult: Hashable, Sendable {
    /// Hits: events (newest first), then buildings, then other assets (by id); at most
    /// ``SearchQuery/limit`` of each kind.
    public var hits: [SearchHit]
    /// How many matched per kind searched (before the limit).
    public var totals: [SearchKind: Int]
    /// Whether the twin has an events table (false: import events first).
    public var hasEvents: Bool
    /// Whether a short term was matched by a LIKE scan instead of the trigram index.
    public var usedLikeFallback: Bool
}
