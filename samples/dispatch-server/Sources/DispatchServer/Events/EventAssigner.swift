import TwinGeo
import TwinIndex

/// What a body item turned out to be.
enum EventItem: Sendable {
    /// A usable event.
    case event(EventInput)
    /// Well-formed JSON that is not a usable event.
    case problem(EventProblem)
    /// An NDJSON line that is not JSON.
    case syntax(JSONSyntaxError)
}

/// The parts of an answer a client asks for (`?fields=cells,responsible`): `index`, `id`,
/// `inside` and `wgs84` are always there. Bulk re-assignment needs only the cells, and the
/// asset parts (an R-tree query each) are most of an answer's cost.
struct AnswerFields: OptionSet, Sendable {
    let rawValue: UInt8
    static let cells = AnswerFields(rawValue: 1 << 0)
    static let chain = AnswerFields(rawValue: 1 << 1)
    static let responsible = AnswerFields(rawValue: 1 << 2)
    static let address = AnswerFields(rawValue: 1 << 3)
    static let building = AnswerFields(rawValue: 1 << 4)
    static let cameras = AnswerFields(rawValue: 1 << 5)
    static let sensors = AnswerFields(rawValue: 1 << 6)
    static let all: AnswerFields = [.cells, .chain, .responsible, .address, .building, .cameras, .sensors]
    /// The parts that need the point in metres.
    static let assets: AnswerFields = [.building, .cameras, .sensors]

    static let names: [(String, AnswerFields)] = [("cells", .cells), ("chain", .chain), ("responsible", .responsible),
                                                  ("address", .address), ("building", .building), ("cameras", .cameras),
                                                  ("sensors", .sensors)]

    /// Parses a comma-separated list of part names.
    ///
    /// - Throws: ``APIError`` 400 naming `fields` for an empty list or an unknown name.
    static func parse(_ text: Substring) throws -> AnswerFields {
        var fields: AnswerFields = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let part = names.first(where: { $0.0 == name })?.1 else {
                throw APIError(.badRequest, "fields: \"\(name)\" is not one of \(names.map(\.0).joined(separator: ", "))",
                               field: "fields")
            }
            fields.insert(part)
        }
        return fields
    }
}

/// Limits of one answer.
struct AssignmentOptions: Sendable {
    /// The parts of the answer.
    var fields = AnswerFields.all
    /// At most this many cameras that see the point.
    var cameras = 5
    /// At most this many sensors (of the category's relevant types).
    var sensors = 3
    /// Sensors farther than this many metres are not listed.
    var sensorRadiusMetres = 500.0
}

/// Assigns a list of events against one snapshot, then writes each answer as JSON.
///
/// All the events of a request go through one batch locate (`Twin.cellIndexes(xs:ys:times:into:)`,
/// each event in the grid in force at its own time) and one batch projection to the metric
/// CRS; the per-event part is then R-tree queries for the building, the cameras and the
/// sensors, and copies of pre-encoded fragments.
struct EventAssigner {
    let snapshot: TwinSnapshot
    let options: AssignmentOptions
    /// The items, with conversion failures turned into problems.
    private(set) var items: [EventItem]
    /// Per item: its row in the coordinate arrays, or -1.
    private var rows: [Int]
    private var lons: [Double] = [], lats: [Double] = []
    private var metricX: [Double] = [], metricY: [Double] = []
    /// `layers × rows` cell indexes, layer-major.
    private var cells: [Int32] = []
    /// Per row: the event's category in the snapshot, or `nil`.
    private var categories: [TwinSnapshot.Category?] = []
    private var results: [RTreeNeighbor] = []
    private var sensorHits: [(distance: Double, group: Int, item: Int)] = []
    private let scratch = RTreeSearchScratch()

    /// Converts and locates every event.
    init(items: [EventItem], snapshot: TwinSnapshot, options: AssignmentOptions) {
        self.snapshot = snapshot
        self.options = options
        self.items = items
        self.rows = [Int](repeating: -1, count: items.count)
        var times: [Double] = []
        lons.reserveCapacity(items.count); lats.reserveCapacity(items.count); times.reserveCapacity(items.count)
        var transforms: [CRS: CoordinateTransform] = [:]
        for k in items.indices {
            guard case .event(let e) = items[k] else { continue }
            var p = Coordinate(e.lon, e.lat)
            if e.crs != .wgs84 && e.crs != .cgcs2000 {
                let transform: CoordinateTransform
                if let t = transforms[e.crs] { transform = t } else {
                    do { transform = try CoordinateTransform(from: e.crs, to: .wgs84) } catch {
                        self.items[k] = .problem(EventProblem(field: "crs", message: "unknown CRS \(e.crs): \(Self.message(error))"))
                        continue
                    }
                    transforms[e.crs] = transform
                }
                guard let q = try? transform.transform(p), q.isFinite else {
                    self.items[k] = .problem(EventProblem(field: "lon", message: "(\(e.lon), \(e.lat)) cannot be converted from \(e.crs) to WGS84"))
                    continue
                }
                p = q
            }
            rows[k] = lons.count
            lons.append(p.x); lats.append(p.y); times.append(e.time ?? snapshot.latestTime)
            categories.append(snapshot.category(e.category))
        }
        let n = lons.count
        let layerCount = snapshot.twin.layers.count
        cells = [Int32](repeating: -1, count: max(1, n * layerCount))
        guard n > 0 else { return }
        let twin = snapshot.twin
        do {
            if n == 1 {
                // One event (POST /v1/events): the single-point locate, no batch set-up.
                try cells.withUnsafeMutableBufferPointer { out in
                    try twin.cellIndexes(lon: lons[0], lat: lats[0], crs: .wgs84, atUnixSeconds: times[0], into: out)
                }
            } else {
                try lons.withUnsafeBufferPointer { x in
                    try lats.withUnsafeBufferPointer { y in
                        try times.withUnsafeBufferPointer { t in
                            try cells.withUnsafeMutableBufferPointer { out in
                                let buffers = (0 ..< layerCount).map { UnsafeMutableBufferPointer(rebasing: out[$0 * n ..< ($0 + 1) * n]) }
                                try twin.cellIndexes(xs: x, ys: y, times: t, into: buffers, crs: .wgs84, concurrently: n >= 4096)
                            }
                        }
                    }
                }
            }
        } catch {
            // Only a programming error gets here (counts are equal by construction); answer "outside".
            for k in cells.indices { cells[k] = -1 }
        }
        if let toMetric = snapshot.toMetric, !options.fields.isDisjoint(with: .assets) {
            metricX = lons; metricY = lats
            do { try toMetric.transform(xs: &metricX, ys: &metricY) } catch {
                // One bad point fails the whole PROJ batch: fall back to one at a time.
                for r in 0 ..< n {
                    let q = try? toMetric.transform(Coordinate(lons[r], lats[r]))
                    metricX[r] = q?.x ?? .nan; metricY[r] = q?.y ?? .nan
                }
            }
        }
    }

    static func message(_ error: any Error) -> String {
        (error as? any TwinError)?.message ?? "\(error)"
    }

    /// Whether item `k` was assigned (else it is a problem).
    func isAssigned(_ k: Int) -> Bool { rows[k] >= 0 }

    /// The cell index of layer `l` for item `k` (-1: none, or not assigned).
    func cell(item k: Int, layer l: Int) -> Int32 {
        let r = rows[k]
        return r < 0 ? -1 : cells[l * lons.count + r]
    }

    /// The category of item `k` in the snapshot (`nil`: none, or not assigned).
    func category(item k: Int) -> TwinSnapshot.Category? {
        let r = rows[k]
        return r < 0 ? nil : categories[r]
    }

    /// Writes the answer for event item `k` (which must be assigned).
    ///
    /// Shape: `{"id","inside","wgs84":[lon,lat],"cells":{layer: cell|null},"chain":{…},
    /// "responsible":{"category","department","cell"},"building","cameras":[…],"sensors":[…]}`.
    mutating func writeAnswer(_ k: Int, index: Int?, into out: inout JSONOutput) {
        guard case .event(let e) = items[k] else { return }
        let r = rows[k], n = lons.count
        let s = snapshot
        let fragments = s.fragments
        let layerCount = s.cellBase.count
        out.raw("{")
        if let index { out.raw("\"index\":"); out.integer(index); out.raw(",") }
        out.raw("\"id\":"); out.string(e.id)
        var inside = false
        for l in 0 ..< layerCount where cells[l * n + r] >= 0 { inside = true; break }
        out.raw(inside ? ",\"inside\":true,\"wgs84\":[" : ",\"inside\":false,\"wgs84\":[")
        out.number(lons[r]); out.raw(","); out.number(lats[r])
        out.raw("]")
        let fields = options.fields
        s.cellBase.withUnsafeBufferPointer { cellBase in
            if fields.contains(.cells) {
                out.raw(",\"cells\":{")
                for l in 0 ..< layerCount {
                    if l > 0 { out.raw(",") }
                    fragments.write(s.layerKeyBase + l, into: &out)
                    let c = Int(cells[l * n + r])
                    if c >= 0 { fragments.write(cellBase[l] + c, into: &out) } else { out.raw("null") }
                }
                out.raw("}")
            }
            if fields.contains(.chain) {
                out.raw(",\"chain\":{")
                for (j, link) in s.chain.enumerated() {
                    if j > 0 { out.raw(",") }
                    fragments.write(link.key, into: &out)
                    let c = Int(cells[link.layer * n + r])
                    if c >= 0 { fragments.write(cellBase[link.layer] + c, into: &out) } else { out.raw("null") }
                }
                out.raw("}")
            }
            if fields.contains(.responsible) {
                out.raw(",\"responsible\":{\"category\":")
                out.string(e.category)
                if let category = categories[r], category.layer >= 0 {
                    out.raw(",\"department\":"); fragments.write(category.department, into: &out)
                    out.raw(",\"cell\":")
                    let c = Int(cells[category.layer * n + r])
                    if c >= 0 { fragments.write(cellBase[category.layer] + c, into: &out) } else { out.raw("null") }
                } else {
                    out.raw(",\"department\":null,\"cell\":null")
                }
                out.raw("}")
            }
        }
        if fields.contains(.address), let address = e.address { out.raw(",\"address\":"); out.string(address) }
        if !fields.isDisjoint(with: .assets) { writeAssets(row: r, into: &out) }
        out.raw("}")
    }

    /// The building at the point, the cameras that see it, the relevant sensors nearby.
    private mutating func writeAssets(row r: Int, into out: inout JSONOutput) {
        let s = snapshot
        let fields = options.fields
        guard s.hasAssets, r < metricX.count, metricX[r].isFinite, metricY[r].isFinite else {
            if fields.contains(.building) { out.raw(",\"building\":null") }
            if fields.contains(.cameras) { out.raw(",\"cameras\":[]") }
            if fields.contains(.sensors) { out.raw(",\"sensors\":[]") }
            return
        }
        let x = metricX[r], y = metricY[r]
        if fields.contains(.building) { writeBuilding(x: x, y: y, into: &out) }
        if fields.contains(.cameras) { writeCameras(x: x, y: y, into: &out) }
        if fields.contains(.sensors) { writeSensors(row: r, x: x, y: y, into: &out) }
    }

    private mutating func writeBuilding(x: Double, y: Double, into out: inout JSONOutput) {
        let s = snapshot
        let fragments = s.fragments
        out.raw(",\"building\":")
        let b = s.catalog.buildingSlot(containingX: x, y: y, scratch: scratch)
        if b < 0 {
            out.raw("null")
        } else if b < s.buildingCount {
            fragments.write(s.buildingBase + b, into: &out)
        } else {
            // A slot added after load (not possible for a catalog read from a file, kept for safety).
            out.raw("{\"id\":"); out.string(s.catalog.id(.building, slot: b) ?? ""); out.raw(",\"address\":null}")
        }
    }

    private mutating func writeCameras(x: Double, y: Double, into out: inout JSONOutput) {
        let s = snapshot
        let fragments = s.fragments
        out.raw(",\"cameras\":[")
        if options.cameras > 0 {
            s.cameraGrid.camerasSeeing(x: x, y: y, into: &results)
            // Nearest first, ties by slot (R-tree order is not an order).
            results.sort { ($0.distance, $0.item) < ($1.distance, $1.item) }
            for j in 0 ..< min(options.cameras, results.count) {
                let hit = results[j]
                out.raw(j == 0 ? "{\"id\":" : ",{\"id\":")
                if hit.item < s.cameraCount { fragments.write(s.cameraBase + hit.item, into: &out) } else {
                    out.string(s.catalog.id(.camera, slot: hit.item) ?? "")
                }
                out.raw(",\"distance_m\":"); out.metres(hit.distance); out.raw("}")
            }
        }
        out.raw("]")
    }

    private mutating func writeSensors(row r: Int, x: Double, y: Double, into out: inout JSONOutput) {
        let s = snapshot
        let fragments = s.fragments
        out.raw(",\"sensors\":[")
        if options.sensors > 0, let groups = categories[r]?.sensorGroups, !groups.isEmpty {
            sensorHits.removeAll(keepingCapacity: true)
            for (g, group) in groups.enumerated() {
                s.sensorGroups[group].tree.nearest(toX: x, y: y, k: options.sensors, maxDistance: options.sensorRadiusMetres,
                                                   into: &results, scratch: scratch)
                for hit in results { sensorHits.append((hit.distance, g, hit.item)) }
            }
            if groups.count > 1 { sensorHits.sort { ($0.distance, $0.group, $0.item) < ($1.distance, $1.group, $1.item) } }
            for j in 0 ..< min(options.sensors, sensorHits.count) {
                let hit = sensorHits[j]
                let group = s.sensorGroups[groups[hit.group]]
                out.raw(j == 0 ? "{\"id\":" : ",{\"id\":")
                fragments.write(group.idBase + hit.item, into: &out)
                out.raw(",\"type\":"); fragments.write(group.type, into: &out)
                out.raw(",\"distance_m\":"); out.metres(hit.distance); out.raw("}")
            }
        }
        out.raw("]")
    }
}
