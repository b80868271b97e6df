/// Keyword, time and category search over a twin file's events, buildings and assets.
///
/// ```swift
/// let search = try TwinSearch(path: "putuo.gpkg")
/// let result = try search.search(SearchQuery(keyword: "长寿路 积水", from: EventTime.unixSeconds("2025-06-01"),
///                                            category: "积水", kinds: [.event]))
/// ```
///
/// * **Events** (the `events` table of ``EventStore``): every term of the keyword must occur in
///   the address (as written, or both in the address normalizer's folded form, so Chinese
///   numerals before 弄/号 match digits), the description or the category. Terms of ≥ 3 characters go through the FTS5
///   trigram index; 1–2-character terms are matched with `LIKE` over the rows the time range,
///   category and long terms leave (see ``SearchQuery``). Newest first.
/// * **Buildings** (`asset_buildings`): every term occurs in the address written as
///   `road + lane弄 + number号 + block幢` (as given or in the folded form), or starts the
///   asset id or code. By id.
/// * **Assets** (all four asset tables): every term starts the asset id or the code (cameras:
///   or occurs in the camera's name). By id. Buildings are left to the building search when
///   both kinds are asked for, so a building is not listed twice.
///
/// Opens the file read-only and never writes to it. Not `Sendable` (one SQLite connection);
/// open one per thread.
public final class TwinSearch {
    /// The twin file.
    public let path: String
    private let package: GeoPackage
    private let tables: Set<String>

    /// Opens a twin file for searching.
    ///
    /// - Throws: ``StoreError`` (`.io` for a missing or unreadable file, `.format` for a file
    ///   that is not a GeoPackage or is damaged).
    public init(path: String) throws {
        self.path = path
        package = try GeoPackage.open(at: path, mode: .readOnly)
        tables = Set(try package.tableNames())
    }

    /// Runs a search.
    ///
    /// - Parameter query: keyword, time range, category, kinds, limit.
    /// - Returns: the hits and the number of matches per kind.
    /// - Throws: ``TwinQueryError`` (`.argument`) for an empty time range (from after to), a
    ///   limit outside 1…10,000, a keyword longer than 256 characters or with control
    ///   characters, or nothing to search for; ``StoreError`` / `FormatError` for a damaged file.
    /// - Complexity: events: O(log n + matches) through the indexes; with a 1–2-character
    ///   term, a scan of the rows the other conditions leave. Buildings and assets: a scan of
    ///   their tables (tens of thousands of rows, milliseconds).
    public func search(_ query: SearchQuery) throws -> SearchResult {
        try query.check()
        let kinds = query.effectiveKinds
        var result = SearchResult(hits: [], totals: [:], hasEvents: tables.contains(EventTable.name), usedLikeFallback: false)
        if kinds.contains(.event) && result.hasEvents {
            let (hits, total, like) = try events(query)
            result.hits += hits
            result.totals[.event] = total
            result.usedLikeFallback = like
        } else if kinds.contains(.event) {
            result.totals[.event] = 0
        }
        if kinds.contains(.building) {
            let (hits, total) = try buildings(query)
            result.hits += hits
            result.totals[.building] = total
        }
        if kinds.contains(.asset) {
            let (hits, total) = try assets(query, skipBuildings: kinds.contains(.building))
            result.hits += hits
            result.totals[.asset] = total
        }
        return result
    }

    // MARK: Events

    private func events(_ query: SearchQuery) throws -> ([SearchHit], Int, Bool) {
        let terms = query.terms
        let long = terms.filter { $0.count >= 3 }, short = terms.filter { $0.count < 3 }
        var conditions: [String] = [], arguments: [SQLiteValue] = []
        var source = "events e"
        if !long.isEmpty {
            source = "events_fts JOIN events e ON e.fid = events_fts.rowid"
            conditions.append("events_fts MATCH ?")
            // Each term as an FTS5 string (a phrase): with the trigram tokenizer, a substring.
            // A term whose address form differs (Chinese numerals, punctuation) may also match
            // the folded address column in that form.
            func phrase(_ t: String) -> String { "\"" + t.replacing("\"", with: "\"\"") + "\"" }
            arguments.append(.text(long.map { term in
                SearchQuery.addressVariant(term).map { "(\(phrase(term)) OR address_key : \(phrase($0)))" } ?? phrase(term)
            }.joined(separator: " AND ")))
        }
        for term in short {
            conditions.append("(e.address LIKE ?1 ESCAPE '\\' OR e.description LIKE ?1 ESCAPE '\\' OR e.category LIKE ?1 ESCAPE '\\')"
                .replacing("?1", with: "?"))
            let pattern = SQLiteValue.text("%" + TwinSearch.escapeLike(term) + "%")
            arguments += [pattern, pattern, pattern]
        }
        if let from = query.from { conditions.append("e.unix_seconds >= ?"); arguments.append(.integer(from)) }
        if let to = query.to { conditions.append("e.unix_seconds <= ?"); arguments.append(.integer(to)) }
        if let category = query.category { conditions.append("e.category = ?"); arguments.append(.text(category)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = Int(try package.database.scalar("SELECT count(*) FROM \(source)\(filter)", arguments)?.integerValue ?? 0)
        let rows = try package.database.rows("""
            SELECT e.event_id, e.time, e.unix_seconds, e.category, e.source, e.address, e.description, e.cells, e.geom
            FROM \(source)\(filter) ORDER BY e.unix_seconds DESC, e.event_id LIMIT ?
            """, arguments + [.integer(Int64(query.limit))])
        let hits = try rows.map { r in
            var cells: [String: String] = [:]
            if let json = r[7].textValue, let object = (try? JSONValue(jsonText: json))?.objectValue {
                for (layer, code) in object { if let c = code.stringValue { cells[layer] = c } }
            }
            return SearchHit(kind: .event, id: r[0].textValue ?? "", title: r[5].textValue ?? "", time: r[1].textValue,
                             unixSeconds: r[2].integerValue, category: r[3].textValue, source: r[4].textValue,
                             detail: r[6].textValue, location: try point(r[8]), cells: cells)
        }
        return (hits, total, !short.isEmpty)
    }

    // MARK: Buildings and assets

    private static let buildingAddress =
        "(ifnull(road, '') || ifnull(lane || '弄', '') || ifnull(number || '号', '') || ifnull(block || '幢', ''))"

    private func buildings(_ query: SearchQuery) throws -> ([SearchHit], Int) {
        let table = AssetKind.building.tableName
        guard tables.contains(table) else { return ([], 0) }
        var conditions: [String] = [], arguments: [SQLiteValue] = []
        for term in query.terms {
            conditions.append("(\(TwinSearch.buildingAddress) LIKE ? ESCAPE '\\' OR \(TwinSearch.buildingAddress) LIKE ? ESCAPE '\\' "
                              + "OR asset_id LIKE ? ESCAPE '\\' OR ifnull(code, '') LIKE ? ESCAPE '\\')")
            let e = TwinSearch.escapeLike(term)
            // The address also in the normalizer's form (三弄七号 → 3弄7号).
            let a = TwinSearch.escapeLike(SearchQuery.addressVariant(term) ?? term)
            arguments += [.text("%" + e + "%"), .text("%" + a + "%"), .text(e + "%"), .text(e + "%")]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = Int(try package.database.scalar("SELECT count(*) FROM \"\(table)\"\(filter)", arguments)?.integerValue ?? 0)
        let rows = try package.database.rows("""
            SELECT asset_id, \(TwinSearch.buildingAddress), use, geom FROM "\(table)"\(filter) ORDER BY asset_id LIMIT ?
            """, arguments + [.integer(Int64(query.limit))])
        let hits = try rows.map { r in
            SearchHit(kind: .building, id: r[0].textValue ?? "", title: r[1].textValue ?? "", time: nil, unixSeconds: nil,
                      category: nil, source: nil, detail: r[2].textValue, location: try point(r[3]), cells: [:])
        }
        return (hits, total)
    }

    private func assets(_ query: SearchQuery, skipBuildings: Bool) throws -> ([SearchHit], Int) {
        var hits: [SearchHit] = [], total = 0
        for kind in AssetKind.allCases where tables.contains(kind.tableName) && !(skipBuildings && kind == .building) {
            var conditions: [String] = [], arguments: [SQLiteValue] = []
            for term in query.terms {
                let e = TwinSearch.escapeLike(term)
                var c = "asset_id LIKE ? ESCAPE '\\' OR ifnull(code, '') LIKE ? ESCAPE '\\'"
                arguments += [.text(e + "%"), .text(e + "%")]
                if kind == .camera { c += " OR ifnull(name, '') LIKE ? ESCAPE '\\'"; arguments.append(.text("%" + e + "%")) }
                conditions.append("(" + c + ")")
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let table = "\"\(kind.tableName)\""
            total += Int(try package.database.scalar("SELECT count(*) FROM \(table)\(filter)", arguments)?.integerValue ?? 0)
            let title = kind == .camera ? "ifnull(name, ifnull(code, asset_id))" : "ifnull(code, asset_id)"
            let rows = try package.database.rows(
                "SELECT asset_id, \(title), code, geom FROM \(table)\(filter) ORDER BY asset_id LIMIT ?",
                arguments + [.integer(Int64(query.limit))])
            for r in rows {
                hits.append(SearchHit(kind: .asset, id: r[0].textValue ?? "", title: r[1].textValue ?? "", time: nil,
                                      unixSeconds: nil, category: kind.rawValue, source: nil, detail: r[2].textValue,
                                      location: try point(r[3]), cells: [:]))
            }
        }
        hits.sort { $0.id < $1.id }
        return (Array(hits.prefix(query.limit)), total)
    }

    // MARK: Helpers

    /// A representative point of a stored geometry: the point itself, or the mean of the
    /// first ring's / line's distinct vertices.
    private func point(_ value: SQLiteValue) throws -> Coordinate? {
        guard let blob = value.blobValue else { return nil }
        let geometry = try GeoPackageBinary.decode(blob).geometry
        var vertices: [Coordinate]
        switch geometry {
        case .point(let p): return p.coordinate
        case .polygon(let p): vertices = Array(p.exterior.dropLast())
        case .multiPolygon(let m): vertices = Array((m.polygons.first?.exterior ?? []).dropLast())
        case .lineString(let l): vertices = l.coordinates
        case .multiLineString(let m): vertices = m.lineStrings.first?.coordinates ?? []
        default: return nil
        }
        guard !vertices.isEmpty else { return nil }
        let n = Double(vertices.count)
        return Coordinate(vertices.reduce(0) { $0 + $1.x } / n, vertices.reduce(0) { $0 + $1.y } / n)
    }

    /// `text` with LIKE's wildcards and the escape character escaped (`\`).
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
