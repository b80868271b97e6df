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

/// Limits of one answer.
struct AssignmentOptions: Sendable {
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
    private var results: [RTreeNeighbor] = []
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
        if let toMetric = snapshot.toMetric {
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

    /// Writes the answer for event item `k` (which must be assigned).
    ///
    /// Shape: `{"id","inside","wgs84":[lon,lat],"cells":{layer: cell|null},"chain":{…},
    /// "responsible":{"category","department","cell"},"building","cameras":[…],"sensors":[…]}`.
    mutating func writeAnswer(_ k: Int, index: Int?, into out: inout JSONOutput) {
        guard case .event(let e) = items[k] else { return }
        let r = rows[k], n = lons.count
        let s = snapshot
        let layerCount = s.twin.layers.count
        out.raw("{")
        if let index { out.raw("\"index\":"); out.integer(index); out.raw(",") }
        out.raw("\"id\":"); out.string(e.id)
        var inside = false
        for l in 0 ..< layerCount where cells[l * n + r] >= 0 { inside = true; break }
        out.raw(inside ? ",\"inside\":true,\"wgs84\":[" : ",\"inside\":false,\"wgs84\":[")
        out.number(lons[r]); out.raw(","); out.number(lats[r])
        out.raw("],\"cells\":{")
        for l in 0 ..< layerCount {
            if l > 0 { out.raw(",") }
            out.raw(s.layerKeys[l])
            let c = Int(cells[l * n + r])
            if c >= 0 { out.raw(s.cellFragments[l][c]) } else { out.raw("null") }
        }
        out.raw("},\"chain\":{")
        var first = true
        for (key, l) in s.chain {
            if !first { out.raw(",") }
            first = false
            out.raw(key)
            let c = Int(cells[l * n + r])
            if c >= 0 { out.raw(s.cellFragments[l][c]) } else { out.raw("null") }
        }
        out.raw("},\"responsible\":{\"category\":")
        out.string(e.category)
        if let rule = s.responsible[e.category] {
            out.raw(",\"department\":"); out.raw(rule.department)
            out.raw(",\"cell\":")
            let c = Int(cells[rule.layer * n + r])
            if c >= 0 { out.raw(s.cellFragments[rule.layer][c]) } else { out.raw("null") }
        } else {
            out.raw(",\"department\":null,\"cell\":null")
        }
        out.raw("}")
        if let address = e.address { out.raw(",\"address\":"); out.string(address) }
        writeAssets(e, row: r, into: &out)
        out.raw("}")
    }

    /// The building at the point, the cameras that see it, the relevant sensors nearby.
    private mutating func writeAssets(_ e: EventInput, row r: Int, into out: inout JSONOutput) {
        guard let catalog = snapshot.catalog, r < metricX.count, metricX[r].isFinite, metricY[r].isFinite else {
            out.raw(",\"building\":null,\"cameras\":[],\"sensors\":[]")
            return
        }
        let x = metricX[r], y = metricY[r]
        out.raw(",\"building\":")
        let b = catalog.buildingSlot(containingX: x, y: y, scratch: scratch)
        if b < 0 {
            out.raw("null")
        } else if b < snapshot.buildingFragments.count {
            out.raw(snapshot.buildingFragments[b])
        } else {
            // A slot added after load (not possible for a catalog read from a file, kept for safety).
            out.raw("{\"id\":"); out.string(catalog.id(.building, slot: b) ?? ""); out.raw(",\"address\":null}")
        }
        out.raw(",\"cameras\":[")
        if options.cameras > 0 {
            catalog.camerasSeeing(x: x, y: y, into: &results, scratch: scratch)
            // Nearest first, ties by slot (R-tree order is not an order).
            results.sort { ($0.distance, $0.item) < ($1.distance, $1.item) }
            for (j, hit) in results.prefix(options.cameras).enumerated() {
                out.raw(j == 0 ? "{\"id\":" : ",{\"id\":")
                if hit.item < snapshot.cameraIDs.count { out.raw(snapshot.cameraIDs[hit.item]) } else { out.string(catalog.id(.camera, slot: hit.item) ?? "") }
                out.raw(",\"distance_m\":"); out.metres(hit.distance); out.raw("}")
            }
        }
        out.raw("],\"sensors\":[")
        if options.sensors > 0, let groups = snapshot.sensorGroups[e.category] {
            var found: [(distance: Double, group: Int, item: Int)] = []
            for (g, group) in groups.enumerated() {
                group.tree.nearest(toX: x, y: y, k: options.sensors, maxDistance: options.sensorRadiusMetres, into: &results, scratch: scratch)
                for hit in results { found.append((hit.distance, g, hit.item)) }
            }
            if groups.count > 1 { found.sort { ($0.distance, $0.group, $0.item) < ($1.distance, $1.group, $1.item) } }
            for (j, hit) in found.prefix(options.sensors).enumerated() {
                let group = groups[hit.group]
                out.raw(j == 0 ? "{\"id\":" : ",{\"id\":")
                out.raw(group.ids[hit.item])
                out.raw(",\"type\":"); out.raw(group.type)
                out.raw(",\"distance_m\":"); out.metres(hit.distance); out.raw("}")
            }
        }
        out.raw("]")
    }
}
