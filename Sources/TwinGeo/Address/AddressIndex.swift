/// The in-memory address book of an ``AddressGeocoder``: hash maps from canonical keys (as
/// integers: road id, 弄, 支弄, 号, suffix) to points, and the rules that rank a reading.
struct AddressIndex: Sendable {
    struct DoorKey: Hashable {
        var road: Int32, lane: Int32, subLane: Int32, number: Int32, suffix: UInt32
    }
    struct LaneKey: Hashable {
        var road: Int32, lane: Int32, subLane: Int32
    }
    struct PairKey: Hashable {
        var a: Int32, b: Int32
        init(_ x: Int32, _ y: Int32) { a = min(x, y); b = max(x, y) }
    }
    struct Plate {
        var point: Coordinate
        var town: Int32
    }

    let lexicon: AddressLexicon
    let doorplates: [DoorKey: Plate]
    /// Door-plates in a 支弄 by road, 弄 and 号 alone (key subLane 0): people often leave the
    /// 支弄 out. `count` > 1 means several 支弄 have that number: no unique reading.
    let inSubLanes: [DoorKey: (plate: Plate, subLane: Int32, count: Int)]
    /// Centre of each lane's door-plates (also for 支弄 keys, and lane keys with subLane 0).
    let lanes: [LaneKey: Coordinate]
    let roadMidpoints: [Coordinate?]
    let placePoints: [Coordinate?]
    let townPoints: [Coordinate?]
    let crossings: [PairKey: [Coordinate]]
    /// Road ids by the folded name with one scalar deleted (and by the whole folded name), for
    /// one-edit look-ups of misspelt roads.
    let roadNeighbours: [[UInt32]: [Int32]]

    init(book: AddressBookRecords) {
        var towns: [String] = []
        var seenTowns = Set<String>()
        for t in book.doorplates.map(\.town) + book.communities.map(\.town) + book.aliases.filter({ $0.kind == .town }).map(\.canonical)
        where !t.isEmpty && seenTowns.insert(t).inserted { towns.append(t) }
        let lexicon = AddressLexicon(
            towns: towns, roads: book.roads.map(\.name),
            communities: book.communities.map { (name: $0.name, aliases: $0.aliases) }, pois: book.pois.map(\.name),
            aliases: book.aliases.map { (alias: $0.alias, canonical: $0.canonical, kind: $0.kind.rawValue) })
        self.lexicon = lexicon
        var roadID: [String: Int32] = [:]
        for (i, r) in lexicon.roads.enumerated() { roadID[r] = Int32(i) }
        var townID: [String: Int32] = [:]
        for (i, t) in lexicon.towns.enumerated() { townID[t] = Int32(i) }

        var plates: [DoorKey: Plate] = [:]
        var subLaneSeen: [DoorKey: (plate: Plate, subLane: Int32, count: Int)] = [:]
        var laneSums: [LaneKey: (Double, Double, Double)] = [:]
        var townSums = [(Double, Double, Double)](repeating: (0, 0, 0), count: lexicon.towns.count)
        for d in book.doorplates {
            guard let road = roadID[d.road] else { continue }
            let suffix = d.numberSuffix.unicodeScalars.first.map { AddressLexicon.fold(String($0)).first ?? 0 } ?? 0
            let key = DoorKey(road: road, lane: Int32(d.lane ?? 0), subLane: Int32(d.subLane ?? 0), number: Int32(d.number), suffix: suffix)
            let town = townID[d.town] ?? -1
            if plates[key] == nil || d.source == .addressBook { plates[key] = Plate(point: d.point, town: town) }
            if key.subLane > 0 {
                var free = key
                free.subLane = 0
                if let seen = subLaneSeen[free] { subLaneSeen[free] = (seen.plate, seen.subLane, seen.count + 1) }
                else { subLaneSeen[free] = (Plate(point: d.point, town: town), key.subLane, 1) }
            }
            if let lane = d.lane {
                for k in [LaneKey(road: road, lane: Int32(lane), subLane: 0), LaneKey(road: road, lane: Int32(lane), subLane: Int32(d.subLane ?? 0))] {
                    var s = laneSums[k] ?? (0, 0, 0)
                    s.0 += d.point.x; s.1 += d.point.y; s.2 += 1
                    laneSums[k] = s
                    if d.subLane == nil { break }
                }
            }
            if town >= 0 { townSums[Int(town)].0 += d.point.x; townSums[Int(town)].1 += d.point.y; townSums[Int(town)].2 += 1 }
        }
        doorplates = plates
        inSubLanes = subLaneSeen
        lanes = laneSums.mapValues { Coordinate($0.0 / $0.2, $0.1 / $0.2) }

        var mids = [Coordinate?](repeating: nil, count: lexicon.roads.count)
        for r in book.roads { if let id = roadID[r.name] { mids[Int(id)] = AddressGeometry.midpoint(r.centreline) } }
        roadMidpoints = mids

        var places = [Coordinate?](repeating: nil, count: lexicon.places.count)
        var placeID: [String: Int] = [:]
        for (i, p) in lexicon.places.enumerated() { placeID[p] = i }
        for c in book.communities {
            guard let id = placeID[c.name], let centre = AddressGeometry.centroid(c.outline) else { continue }
            places[id] = centre
            if let t = townID[c.town], townSums[Int(t)].2 == 0 { townSums[Int(t)] = (centre.x, centre.y, 1) }
        }
        for p in book.pois { if let id = placeID[p.name] { places[id] = p.point } }
        placePoints = places
        townPoints = townSums.map { $0.2 > 0 ? Coordinate($0.0 / $0.2, $0.1 / $0.2) : nil }

        var cross: [PairKey: [Coordinate]] = [:]
        for (a, b, c) in TwinBuilder.intersections(of: book.roads) {
            if let ia = roadID[a], let ib = roadID[b] { cross[PairKey(ia, ib), default: []].append(c) }
        }
        crossings = cross

        var neighbours: [[UInt32]: [Int32]] = [:]
        for (i, folded) in lexicon.foldedRoads.enumerated() {
            for key in Self.deletions(folded) where !(neighbours[key]?.contains(Int32(i)) ?? false) {
                neighbours[key, default: []].append(Int32(i))
            }
        }
        roadNeighbours = neighbours
    }

    /// The name itself and each form with one scalar deleted.
    static func deletions(_ s: [UInt32]) -> [[UInt32]] {
        var out = [s]
        guard s.count >= 2 else { return out }
        for i in s.indices { var d = s; d.remove(at: i); out.append(d) }
        return out
    }

    /// Roads one edit (substitution, insertion, deletion) from `name`; only for names of 3 or
    /// more scalars, where one edit still leaves most of the name.
    func roadsNear(_ name: String) -> [Int32] {
        let folded = AddressLexicon.fold(name)
        guard folded.count >= 3 else { return [] }
        var found: [Int32] = []
        for key in Self.deletions(folded) {
            for id in roadNeighbours[key] ?? [] where !found.contains(id) && Self.isTypo(folded, lexicon.foldedRoads[Int(id)]) {
                found.append(id)
            }
        }
        return found
    }

    /// Whether `written` is one edit from `name` and the edit is a plausible typo: not a
    /// direction (东西南北中), a numeral, a digit or a road ending, which name different roads
    /// (中山南路 is not a misspelt 中山北路; 中山路 is not 中山北路).
    static func isTypo(_ written: [UInt32], _ name: [UInt32]) -> Bool {
        let meaningful: Set<UInt32> = Set("东西南北中一二三四五六七八九十支路街巷道弄".unicodeScalars.map(\.value))
        func bad(_ c: UInt32) -> Bool { meaningful.contains(c) || AddressScalars.isDigit(c) }
        var i = 0
        while i < written.count, i < name.count, written[i] == name[i] { i += 1 }
        if written.count == name.count {
            guard i < written.count else { return false }                     // identical: not a typo look-up
            guard written[(i + 1)...] == name[(i + 1)...] else { return false }
            return !bad(written[i]) && !bad(name[i])
        }
        let (long, short) = written.count > name.count ? (written, name) : (name, written)
        guard long.count == short.count + 1, long[(i + 1)...] == short[i...] else { return false }
        return !bad(long[i])
    }

    // MARK: Ranking

    typealias Outcome = Result<(AddressCandidate, AddressMatchReason?), AddressMatchReason>

    func candidate(_ level: AddressMatchLevel, _ c: Coordinate, _ score: Double, _ canonical: String) -> AddressCandidate {
        AddressCandidate(level: level, lon: c.x, lat: c.y, score: max(0, min(1, score)), canonical: canonical)
    }

    func bestCandidate(_ a: StructuredAddress) -> Outcome {
        let qualifierFactor = a.qualifiers.isEmpty ? 1.0 : 0.9
        let outcome: Outcome
        if a.road != nil {
            outcome = roadOutcome(a)
        } else if a.placeID >= 0, let p = placePoints[Int(a.placeID)] {
            let level: AddressMatchLevel = a.placeIsPOI ? .poi : .community
            outcome = .success((candidate(level, p, a.placeIsPOI ? 0.95 : 0.85, lexicon.places[Int(a.placeID)]), nil))
        } else if a.townID >= 0, let p = townPoints[Int(a.townID)] {
            // A town alone does not place an event (its centre can be kilometres away): below the
            // default threshold, offered as the candidate.
            outcome = .success((candidate(.town, p, 0.35, lexicon.towns[Int(a.townID)]), nil))
        } else {
            outcome = .failure(.unrecognised)
        }
        guard case .success(var (c, reason)) = outcome else { return outcome }
        c.score *= qualifierFactor
        if reason == nil, c.score < 0.5 { reason = .unrecognised }
        return .success((c, reason))
    }

    /// A road reading: resolves the road (exactly or one edit away), then the intersection,
    /// door-plate, lane or road.
    private func roadOutcome(_ a: StructuredAddress) -> Outcome {
        var penalty = a.roadMatch == .abbreviated ? 0.05 : 0
        var roadIDs: [Int32]
        if a.roadID >= 0 {
            roadIDs = [a.roadID]
        } else {
            roadIDs = roadsNear(a.road!)
            if roadIDs.isEmpty { return .failure(.noSuchRoad) }
            penalty += 0.15
        }
        if let cross = a.crossRoad {
            var crossIDs: [Int32] = a.crossRoadID >= 0 ? [a.crossRoadID] : roadsNear(cross)
            if crossIDs.isEmpty { return .failure(.noSuchRoad) }
            if a.crossRoadID < 0 { penalty += 0.15 }
            var found: [(Int32, Int32, [Coordinate])] = []
            for r in roadIDs { for s in crossIDs where r != s { if let pts = crossings[PairKey(r, s)] { found.append((r, s, pts)) } } }
            crossIDs = []
            guard found.count == 1 else { return .failure(found.isEmpty ? .noSuchIntersection : .ambiguous) }
            let (r, s, pts) = found[0]
            if pts.count > 1, pts.contains(where: { AddressGeometry.distanceMetres($0, pts[0]) > 50 }) { return .failure(.ambiguous) }
            let names = [lexicon.roads[Int(r)], lexicon.roads[Int(s)]].sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            return .success((candidate(.intersection, pts[0], (a.intersectionMarked ? 0.9 : 0.75) - penalty, "\(names[0])与\(names[1])交叉口"), nil))
        }
        let lane = Int32(clamping: a.lane ?? 0), subLane = Int32(clamping: a.subLane ?? 0)
        if let number = a.number {
            let suffix = a.numberSuffix.unicodeScalars.first?.value ?? 0
            var hits: [(Int32, Plate, Int32)] = []
            var subLanePenalty = 0.0
            for r in roadIDs {
                let key = DoorKey(road: r, lane: lane, subLane: subLane, number: Int32(clamping: number), suffix: suffix)
                if let p = doorplates[key] { hits.append((r, p, subLane)) }
            }
            if hits.isEmpty && lane > 0 && subLane == 0 {
                // 弄 and 号 without the 支弄: the door-plate when exactly one 支弄 of the lane has it.
                for r in roadIDs {
                    let key = DoorKey(road: r, lane: lane, subLane: 0, number: Int32(clamping: number), suffix: suffix)
                    if let e = inSubLanes[key], e.count == 1 { hits.append((r, e.plate, e.subLane)) }
                }
                subLanePenalty = 0.1
            }
            if hits.count > 1 { return .failure(.ambiguous) }
            if let (r, plate, subLane) = hits.first {
                var score = 1.0 - penalty - subLanePenalty - (a.numberWithoutUnit ? 0.05 : 0)
                if a.townID >= 0, plate.town >= 0, plate.town != a.townID { score -= 0.2 }
                var key = lexicon.roads[Int(r)]
                if lane > 0 { key += "\(lane)弄" }
                if subLane > 0 { key += "\(subLane)支弄" }
                key += "\(number)\(a.numberSuffix)号"
                return .success((candidate(.doorplate, plate.point, score, key), nil))
            }
        }
        guard roadIDs.count == 1 else { return .failure(.ambiguous) }
        let r = roadIDs[0]
        let roadName = lexicon.roads[Int(r)]
        if lane > 0 {
            if let p = lanes[LaneKey(road: r, lane: lane, subLane: subLane)] {
                let key = roadName + "\(lane)弄" + (subLane > 0 ? "\(subLane)支弄" : "")
                // The lane exists, the 号 does not: the lane is certain, the building is not.
                if a.number != nil { return .success((candidate(.lane, p, 0.6 - penalty, key), .noSuchNumber)) }
                return .success((candidate(.lane, p, 0.8 - penalty, key), nil))
            }
            guard let mid = roadMidpoints[Int(r)] else { return .failure(.noSuchLane) }
            return .success((candidate(.road, mid, 0.4 - penalty, roadName), .noSuchLane))
        }
        if a.placeID >= 0, let p = placePoints[Int(a.placeID)], a.number == nil {
            let level: AddressMatchLevel = a.placeIsPOI ? .poi : .community
            return .success((candidate(level, p, (a.placeIsPOI ? 0.95 : 0.85) - penalty, lexicon.places[Int(a.placeID)]), nil))
        }
        guard let mid = roadMidpoints[Int(r)] else { return .failure(.noSuchRoad) }
        if a.number != nil { return .success((candidate(.road, mid, 0.4 - penalty, roadName), .noSuchNumber)) }
        return .success((candidate(.road, mid, 0.7 - penalty, roadName), nil))
    }
}

extension AddressIndex {
    /// Reads the address tables of a twin file.
    ///
    /// - Throws: ``FormatError`` when the tables are missing or a row is malformed.
    static func readBook(_ package: GeoPackage) throws -> AddressBookRecords {
        let tables = Set(try package.tableNames())
        for t in [AddressTables.roads, AddressTables.doorplates] where !tables.contains(t) {
            throw FormatError("the twin has no address book (table \(t) is missing); import one with twin-tool import-addresses",
                              at: SourceLocation(file: package.path))
        }
        var book = AddressBookRecords()
        func bad(_ table: String, _ fid: Int64, _ field: String, _ what: String) -> FormatError {
            FormatError("table \(table), fid \(fid): \(field) \(what)", at: SourceLocation(file: package.path, feature: Int(fid), field: field))
        }
        try package.forEachFeature(in: AddressTables.roads, columns: ["road_id", "name"]) { f in
            guard let name = f.values[1].textValue else { throw bad(AddressTables.roads, f.fid, "name", "is missing") }
            let lines: MultiLineString
            switch f.geometry {
            case .multiLineString(let m)?: lines = m
            case .lineString(let l)?: lines = MultiLineString([l])
            default: throw bad(AddressTables.roads, f.fid, "geom", "is not a line")
            }
            book.roads.append(AddressRoad(id: f.values[0].textValue ?? name, name: name, centreline: lines))
        }
        try package.forEachFeature(in: AddressTables.doorplates,
                                   columns: ["address_id", "road", "lane", "sub_lane", "number", "number_suffix", "building_id", "community", "town", "source"]) { f in
            let v = f.values
            guard let road = v[1].textValue else { throw bad(AddressTables.doorplates, f.fid, "road", "is missing") }
            guard let number = v[4].integerValue, number > 0, number < 1_000_000 else { throw bad(AddressTables.doorplates, f.fid, "number", "is not a positive integer") }
            guard case .point(let p)? = f.geometry, let c = p.coordinate else { throw bad(AddressTables.doorplates, f.fid, "geom", "is not a point") }
            func small(_ value: SQLiteValue) -> Int? { value.integerValue.flatMap { $0 > 0 && $0 < 1_000_000 ? Int($0) : nil } }
            book.doorplates.append(AddressDoorplate(
                id: v[0].textValue ?? "", road: road, lane: small(v[2]), subLane: small(v[3]), number: Int(number),
                numberSuffix: v[5].textValue ?? "", buildingID: v[6].textValue ?? "", community: v[7].textValue ?? "",
                town: v[8].textValue ?? "", point: c, source: AddressDoorplateSource(rawValue: v[9].textValue ?? "") ?? .addressBook))
        }
        if tables.contains(AddressTables.communities) {
            try package.forEachFeature(in: AddressTables.communities, columns: ["name", "aliases", "town"]) { f in
                guard let name = f.values[0].textValue else { throw bad(AddressTables.communities, f.fid, "name", "is missing") }
                let outline: MultiPolygon
                switch f.geometry {
                case .multiPolygon(let m)?: outline = m
                case .polygon(let p)?: outline = MultiPolygon([p])
                default: throw bad(AddressTables.communities, f.fid, "geom", "is not a polygon")
                }
                let aliases = (f.values[1].textValue ?? "").split(separator: "|").map(String.init)
                book.communities.append(AddressCommunity(name: name, aliases: aliases, town: f.values[2].textValue ?? "", outline: outline))
            }
        }
        if tables.contains(AddressTables.pois) {
            try package.forEachFeature(in: AddressTables.pois, columns: ["name", "kind", "community"]) { f in
                guard let name = f.values[0].textValue else { throw bad(AddressTables.pois, f.fid, "name", "is missing") }
                guard case .point(let p)? = f.geometry, let c = p.coordinate else { throw bad(AddressTables.pois, f.fid, "geom", "is not a point") }
                book.pois.append(AddressPOI(name: name, kind: f.values[1].textValue ?? "", point: c, community: f.values[2].textValue ?? ""))
            }
        }
        if tables.contains(AddressTables.aliases) {
            try package.forEachFeature(in: AddressTables.aliases, columns: ["alias", "canonical", "kind"]) { f in
                guard let alias = f.values[0].textValue, let canonical = f.values[1].textValue,
                      let kind = f.values[2].textValue.flatMap(AddressNameAlias.Kind.init(rawValue:)) else {
                    throw bad(AddressTables.aliases, f.fid, "kind", "is not road, community or town")
                }
                book.aliases.append(AddressNameAlias(alias: alias, canonical: canonical, kind: kind))
            }
        }
        return book
    }
}
