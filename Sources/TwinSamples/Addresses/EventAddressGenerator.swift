import TwinGeo

/// Writes the address book's places the way hotline callers and patrols write them, with the
/// ground truth of each.
///
/// Style mix (weights): clean 20, prefixed 14, abbreviated 8, chinese_numerals 8, fullwidth 7,
/// typo 6, intersection 8, road_only 5, community 9, noise 8, nonexistent 7.
struct EventAddressGenerator {
    let book: AddressBook
    let intersections: [AddressBookGenerator.Intersection]
    let towns: [(name: String, point: Coordinate)]
    var rng: SplitMix64

    private static let styles: [(AddressStyle, Double)] = [
        (.clean, 20), (.prefixed, 14), (.abbreviated, 8), (.chineseNumerals, 8), (.fullwidth, 7), (.typo, 6),
        (.intersection, 8), (.roadOnly, 5), (.community, 9), (.noise, 8), (.nonexistent, 7),
    ]

    /// Lane → its plates, the lane's truth point (mean of the entrances) and highest number.
    private struct Lane { var plates: [Int]; var point: Coordinate; var maxNumber: Int }
    private var lanes: [String: Lane] = [:]
    private var laneKeys: [String] = []
    private var typoOf: [String: String] = [:]
    private var abbreviationOf: [String: String] = [:]
    private var typoPlates: [Int] = []
    private var gatesOf: [String: [PointOfInterest]] = [:]

    init(book: AddressBook, intersections: [AddressBookGenerator.Intersection], towns: [(name: String, point: Coordinate)],
         rng: SplitMix64) {
        self.book = book
        self.intersections = intersections
        self.towns = towns
        self.rng = rng
        var members: [String: [Int]] = [:]
        var order: [String] = []
        for (k, d) in book.doorplates.enumerated() {
            guard let lane = d.lane else { continue }
            let key = "\(d.road)#\(lane)"
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(k)
        }
        for key in order {
            let plates = members[key]!
            let x = plates.reduce(0.0) { $0 + book.doorplates[$1].entrance.x } / Double(plates.count)
            let y = plates.reduce(0.0) { $0 + book.doorplates[$1].entrance.y } / Double(plates.count)
            lanes[key] = Lane(plates: plates, point: Coordinate(LocalFrame.round8(x), LocalFrame.round8(y)),
                              maxNumber: plates.map { book.doorplates[$0].number }.max()!)
        }
        laneKeys = order
        for a in book.aliases where a.kind == .road {
            if a.alias.count == a.canonical.count { typoOf[a.canonical] = typoOf[a.canonical] ?? a.alias }
            if a.alias + "路" == a.canonical { abbreviationOf[a.canonical] = a.alias }
        }
        // A typo alias has the canonical name's length with one character changed (old names differ more).
        typoOf = typoOf.filter { zip($0.key, $0.value).filter { $0 != $1 }.count == 1 }
        typoPlates = book.doorplates.indices.filter { typoOf[book.doorplates[$0].road] != nil }
        for p in book.pointsOfInterest where p.kind == .entrance { gatesOf[p.community ?? "", default: []].append(p) }
    }

    mutating func rows(count: Int) -> [EventAddress] {
        guard !book.doorplates.isEmpty, !book.roads.isEmpty else { return [] }
        let weights = Self.styles.map(\.1)
        return (0..<count).map { k in
            var row = make(Self.styles[rng.weightedIndex(weights)].0)
            row.id = "Q" + SampleNames.padded(k + 1, 6)
            return row
        }
    }

    private func row(_ text: String, _ style: AddressStyle, _ level: AddressTruthLevel, _ truth: Coordinate?) -> EventAddress {
        EventAddress(id: "", address: text, style: style, truthLevel: level, truth: truth)
    }

    private mutating func plate() -> Doorplate { rng.pick(book.doorplates) }

    /// The plate as written, with or without its 支弄, road replaced by `road`.
    private mutating func written(_ d: Doorplate, road: String? = nil, number: (Int) -> String = { String($0) }) -> String {
        let sub = d.subLane.flatMap { rng.chance(0.5) ? "\(number($0))支弄" : nil } ?? ""
        return (road ?? d.road) + (d.lane.map { "\(number($0))弄" } ?? "") + sub + "\(number(d.number))号"
    }

    private mutating func prefix(town: String) -> String {
        let wrongTown = rng.chance(0.05) ? rng.pick(towns).name : town
        return rng.pick(["上海市普陀区", "普陀区", "上海市普陀区\(wrongTown)", "普陀区\(wrongTown)", "上海普陀\(wrongTown)",
                         wrongTown, "上海市", "上海"])
    }

    private mutating func suffix(_ d: Doorplate) -> String {
        let floor = rng.int(in: 1...18)
        switch rng.int(in: 0...5) {
        case 0: return "\(floor)楼"
        case 1: return "\(floor)0\(rng.int(in: 1...6))室"
        case 2: return "\(rng.int(in: 1...4))单元\(floor)0\(rng.int(in: 1...4))室"
        case 3: return "\(floor)层"
        default: return ""
        }
    }

    private mutating func make(_ style: AddressStyle) -> EventAddress {
        switch style {
        case .clean:
            let u = rng.unit()
            if u < 0.94 {
                let d = plate()
                return row(written(d), .clean, .doorplate, d.entrance)
            }
            let key = rng.pick(laneKeys), lane = lanes[key]!
            let d = book.doorplates[lane.plates[0]]
            if u < 0.97 { return row("\(d.road)\(d.lane!)弄", .clean, .lane, lane.point) }
            return row("\(d.road)\(d.lane!)弄\(lane.maxNumber + rng.int(in: 3...40))号", .clean, .lane, lane.point)
        case .prefixed:
            let d = plate()
            let building = rng.chance(0.5) ? suffix(d) : ""
            return row(prefix(town: d.town) + (rng.chance(0.2) ? " " : "") + written(d) + building, .prefixed, .doorplate, d.entrance)
        case .abbreviated:
            let d = plate()
            switch rng.int(in: 0...2) {
            case 0 where abbreviationOf[d.road] != nil:
                return row(written(d, road: abbreviationOf[d.road]!), .abbreviated, .doorplate, d.entrance)
            case 1 where AddressText.shortTown(d.town) != nil:
                return row(AddressText.shortTown(d.town)! + written(d), .abbreviated, .doorplate, d.entrance)
            default:
                return row(String(written(d).dropLast()), .abbreviated, .doorplate, d.entrance)  // the final 号 dropped
            }
        case .chineseNumerals:
            let d = plate()
            let liang = rng.chance(0.3), digitwise = rng.chance(0.2)
            let text = written(d) { n in digitwise && n >= 100 ? AddressText.chineseDigits(n, zeroCircle: true) : AddressText.chinese(n, liang: liang) }
            return row((rng.chance(0.3) ? "上海市普陀区 " : "") + text, .chineseNumerals, .doorplate, d.entrance)
        case .fullwidth:
            let d = plate()
            let text = (rng.chance(0.3) ? "普陀区 " : "") + written(d) + (rng.chance(0.3) ? suffix(d) : "")
            return row(AddressText.fullWidth(text, lettersToo: rng.chance(0.5)), .fullwidth, .doorplate, d.entrance)
        case .typo:
            guard !typoPlates.isEmpty else { return make(.clean) }
            let d = book.doorplates[rng.pick(typoPlates)]
            return row(written(d, road: typoOf[d.road]!), .typo, .doorplate, d.entrance)
        case .intersection:
            guard !intersections.isEmpty else { return make(.roadOnly) }
            let x = rng.pick(intersections)
            let (a, b) = rng.chance(0.5) ? (x.eastWest, x.northSouth) : (x.northSouth, x.eastWest)
            let text = rng.pick(["\(a)与\(b)交叉口", "\(a)\(b)路口", "\(a)和\(b)路口", "\(a)/\(b)", "\(a)与\(b)路口", "\(a)、\(b)交叉口"])
            return row((rng.chance(0.2) ? "普陀区" : "") + text, .intersection, .intersection, x.point)
        case .roadOnly:
            let r = rng.pick(book.roads)
            let text = rng.pick([r.name, "普陀区\(r.name)", "上海市普陀区\(r.name)", "\(r.name)沿线"])
            return row(text, .roadOnly, .road, r.midpoint)
        case .community:
            guard !book.communities.isEmpty else { return make(.roadOnly) }
            let c = rng.pick(book.communities)
            if let gates = gatesOf[c.name], rng.chance(0.4) {
                let g = rng.pick(gates)
                return row((rng.chance(0.2) ? "普陀区" : "") + g.name, .community, .community, g.location)
            }
            let name = rng.chance(0.35) && !c.aliases.isEmpty ? rng.pick(c.aliases) : c.name
            return row((rng.chance(0.3) ? "普陀区\(c.town)" : "") + name, .community, .community, c.centroid)
        case .noise:
            if rng.chance(0.08), !towns.isEmpty {
                let t = rng.pick(towns)
                return row(rng.pick(["普陀区\(t.name)", "\(t.name)附近", "上海市普陀区\(t.name)辖区内"]), .noise, .town, t.point)
            }
            let d = plate()
            var text = written(d)
            switch rng.int(in: 0...6) {
            case 0: text = d.road + " " + (d.lane.map { "\($0) 弄 " } ?? "") + "\(d.number) 号"
            case 1: text = "【\(text)】"
            case 2: text += "（近\(rng.pick(book.roads).name)）"
            case 3: text += rng.pick(["旁", "对面", "附近", "门口"])
            case 4: text = "地址：" + text + "。"
            case 5: text = "  " + text + "！！"
            default: text = "(" + text + ")" + suffix(d)
            }
            return row(text, .noise, .doorplate, d.entrance)
        case .nonexistent:
            if rng.chance(0.5) {
                let road = rng.pick(AddressText.foreignRoads)
                let text = rng.chance(0.5) ? "\(road)\(rng.int(in: 1...999))弄\(rng.int(in: 1...60))号" : "\(road)\(rng.int(in: 1...2000))号"
                return row(text, .nonexistent, .none, nil)
            }
            let road = rng.pick(book.roads).name
            var lane = rng.int(in: 300...999)
            while lanes["\(road)#\(lane)"] != nil { lane += 1 }
            return row("\(road)\(lane)弄\(rng.int(in: 1...60))号", .nonexistent, .none, nil)
        }
    }
}
