// Steps 4–6 of `AddressNormalizer`: prefixes, body, rest, over folded scalars.

extension AddressNormalizer {
    /// Words of the grammar, folded.
    enum Words {
        static func w(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
        static let shanghaiCity = w("上海市"), shanghai = w("上海")
        static let jiedao = w("街道")
        static let connectors = [w("交叉"), w("与"), w("和"), w("及"), w("跟"), w("同"), w("交")]
        static let crossingEnds = [w("十字路口"), w("丁字路口"), w("交叉路口"), w("交叉口"), w("交界处"), w("交汇处"),
                                   w("交口"), w("路口"), w("口")]
        static let qualifiers: [([UInt32], AddressQualifier)] = [
            (w("靠近"), .near), (w("附近"), .nearby), (w("周边"), .nearby), (w("一带"), .nearby),
            (w("旁边"), .beside), (w("边上"), .beside), (w("对面"), .opposite), (w("门口"), .atGate),
            (w("近"), .near), (w("旁"), .beside),
        ]
    }

    @inline(__always)
    static func starts(_ s: [UInt32], _ i: Int, _ word: [UInt32]) -> Bool {
        guard i + word.count <= s.count else { return false }
        for k in 0..<word.count where s[i + k] != word[k] { return false }
        return true
    }

    @inline(__always)
    static func skipSpaces(_ s: [UInt32], _ i: inout Int) {
        while i < s.count, s[i] == 0x20 { i += 1 }
    }

    static func text(_ s: ArraySlice<UInt32>) -> String {
        var out = String.UnicodeScalarView()
        for v in s where v != 0x20 { if let u = Unicode.Scalar(v) { out.append(u) } }
        return String(out)
    }

    /// Whether `c` is a scalar that can be part of a name (not a digit, space or ASCII letter).
    @inline(__always)
    static func isNameScalar(_ c: UInt32) -> Bool { c > 0x7F }

    // MARK: Parsing

    func parse(_ s: [UInt32]) -> StructuredAddress {
        var a = StructuredAddress()
        var i = 0
        parsePrefixes(s, &i, &a)
        var rest = i
        // A leading qualifier (近长寿路588弄) belongs to the whole address.
        for (word, q) in Words.qualifiers where Self.starts(s, i, word) && i + word.count < s.count {
            if road(s, from: i + word.count) != nil || lexicon.longest(.place, in: s, from: i + word.count) != nil {
                a.qualifiers.append(q); i += word.count
            }
            break
        }
        if let (entry, end) = lexicon.longest(.place, in: s, from: i) {
            setPlace(&a, entry)
            rest = end
            rest = parseNumbers(s, rest, &a)
        } else if let r = road(s, from: i), r.via != .unknown || firstKnownName(s, after: i) == nil {
            a.road = r.name; a.roadMatch = r.via; a.roadID = r.id
            a.roadKind = RoadKind(roadName: r.name)
            rest = r.end
            if let crossEnd = parseIntersection(s, rest, &a) {
                rest = crossEnd
            } else {
                rest = parseNumbers(s, rest, &a)
                Self.skipSpaces(s, &rest)
                if let (entry, end) = lexicon.longest(.place, in: s, from: rest) {
                    setPlace(&a, entry)
                    rest = parseNumbers(s, end, &a)
                }
            }
        } else if let skip = firstKnownName(s, after: i) {
            // A label before the address (地址：, 事发地点, 报修): parse from the first name the
            // lexicon knows; the label stays in the remainder.
            var b = parse(Array(s[skip...]))
            b.province = b.province ?? a.province; b.district = b.district ?? a.district
            if b.town == nil { b.town = a.town; b.townID = a.townID }
            b.qualifiers = a.qualifiers + b.qualifiers.filter { !a.qualifiers.contains($0) }
            b.remainder = Self.text(s[i..<skip]) + b.remainder
            return b
        } else {
            rest = i
        }
        parseRest(s, rest, &a)
        return a
    }

    /// The first position after `i` (within 12 scalars) where a road or place of the lexicon
    /// starts, read exactly or by alias.
    private func firstKnownName(_ s: [UInt32], after i: Int) -> Int? {
        var j = i + 1
        while j < s.count, j - i <= 12 {
            if lexicon.longest(.road, in: s, from: j, accept: { e, _ in e.via != .abbreviated }) != nil
                || lexicon.longest(.place, in: s, from: j) != nil { return j }
            j += 1
        }
        return nil
    }

    private func setPlace(_ a: inout StructuredAddress, _ entry: AddressLexicon.Entry) {
        a.place = lexicon.places[Int(entry.id)]
        a.placeMatch = entry.via
        a.placeID = entry.id
        a.placeIsPOI = lexicon.placeIsPOI[Int(entry.id)]
    }

    /// 上海(市), a district, a town, in any order, each at most once.
    private func parsePrefixes(_ s: [UInt32], _ i: inout Int, _ a: inout StructuredAddress) {
        var progressed = true
        while progressed && i < s.count {
            progressed = false
            Self.skipSpaces(s, &i)
            if a.province == nil {
                for word in [Words.shanghaiCity, Words.shanghai] where Self.starts(s, i, word) {
                    a.province = "上海市"; i += word.count; progressed = true; break
                }
                if progressed { continue }
            }
            if a.district == nil, let (entry, end) = lexicon.longest(.district, in: s, from: i, accept: { e, end in
                // 普陀 alone must not swallow 普陀路: a bare district is followed by no road ending.
                // …nor 嘉定 the abbreviated 嘉定路 before a number (嘉定12弄1号).
                e.via != .abbreviated || !(end < s.count && (Self.isRoadEnding(s, end) || AddressScalars.isDigit(s[end])))
            }) {
                a.district = AddressLexicon.districts[Int(entry.id)] + "区"
                i = end; progressed = true; continue
            }
            if a.town == nil, let (entry, end) = lexicon.longest(.town, in: s, from: i, accept: { _, end in
                // A short town name (长寿 for 长寿路街道) must not swallow the road it is named
                // after: 长寿路588弄 is a road, not the town 长寿 and a road 路588弄.
                // Nor the abbreviated road before a number (长寿588弄).
                !(end < s.count && (Self.isRoadEnding(s, end) || AddressScalars.isDigit(s[end])))
                    && (lexicon.longest(.road, in: s, from: i, accept: { e, _ in e.via != .abbreviated })?.end ?? 0) <= end
            }) {
                a.town = lexicon.towns[Int(entry.id)]; a.townID = entry.id
                i = end; progressed = true; continue
            }
            if a.town == nil, let end = genericTown(s, from: i) {
                a.town = Self.text(s[i..<end])
                i = end; progressed = true; continue
            }
        }
    }

    /// `…街道` (2–8 name scalars, no digit before it) with something after it.
    private func genericTown(_ s: [UInt32], from i: Int) -> Int? {
        var k = i
        while k < s.count, k - i <= 8, Self.isNameScalar(s[k]) {
            if k - i >= 2, Self.starts(s, k, Words.jiedao) {
                return k + 2 < s.count ? k + 2 : nil
            }
            k += 1
        }
        return nil
    }

    /// Whether a road ending (路, 街, 巷, 大道, 公路) starts at `s[i]`.
    static func isRoadEnding(_ s: [UInt32], _ i: Int) -> Bool {
        switch s[i] {
        case AddressChar.lu, AddressChar.jie, AddressChar.xiang: return true
        case AddressChar.da: return i + 1 < s.count && s[i + 1] == AddressChar.dao
        default: return false
        }
    }

    struct RoadReading { var name: String; var id: Int32; var via: AddressNameMatch; var end: Int }

    /// A road at `s[i]`: the lexicon's longest (an abbreviated one only before a digit), else
    /// the shape `…路/街/巷/大道` (2–10 name scalars, not `…街道`), else (only at the start of
    /// the body) the name scalars up to a digit, as a possibly misspelt road.
    func road(_ s: [UInt32], from i: Int, allowBare: Bool = true) -> RoadReading? {
        if let (entry, end) = lexicon.longest(.road, in: s, from: i, accept: { e, end in
            e.via != .abbreviated || (end < s.count && (AddressScalars.isDigit(s[end]) || s[end] == 0x20))
        }) {
            return RoadReading(name: lexicon.roads[Int(entry.id)], id: entry.id, via: entry.via, end: end)
        }
        var k = i
        while k < s.count, k - i < 10, Self.isNameScalar(s[k]) {
            if k - i >= 1, Self.isRoadEnding(s, k) {
                if s[k] == AddressChar.jie, k + 1 < s.count, s[k + 1] == AddressChar.dao { k += 1; continue }
                let end = s[k] == AddressChar.da ? k + 2 : k + 1
                return RoadReading(name: Self.text(s[i..<end]), id: -1, via: .unknown, end: end)
            }
            k += 1
        }
        guard allowBare else { return nil }
        // A misspelt ending (长寿璐588弄): the name scalars up to the first digit.
        k = i
        while k < s.count, Self.isNameScalar(s[k]) { k += 1 }
        if k - i >= 2, k - i <= 8, k < s.count, AddressScalars.isDigit(s[k]) {
            return RoadReading(name: Self.text(s[i..<k]), id: -1, via: .unknown, end: k)
        }
        return nil
    }

    /// After the first road: an optional connector, a second road, an optional crossing word.
    /// Returns the end of the intersection, or `nil` (nothing consumed) when there is none.
    private func parseIntersection(_ s: [UInt32], _ start: Int, _ a: inout StructuredAddress) -> Int? {
        var i = start
        Self.skipSpaces(s, &i)
        var marked = false
        // A connector character can start a road name (交通路, 同普路): a known road wins.
        let knownRoadHere = lexicon.longest(.road, in: s, from: i, accept: { e, _ in e.via != .abbreviated }) != nil
        if !knownRoadHere {
            for word in Words.connectors where Self.starts(s, i, word) { i += word.count; marked = true; break }
        }
        Self.skipSpaces(s, &i)
        guard i < s.count, let second = road(s, from: i, allowBare: false) else { return nil }
        var end = second.end
        for word in Words.crossingEnds where Self.starts(s, end, word) { end += word.count; marked = true; break }
        // Two roads with neither a connector nor a crossing word, followed by a number, are a
        // road and (say) a 小区 named like a road: not an intersection.
        if !marked, end < s.count, AddressScalars.isDigit(s[end]) { return nil }
        a.crossRoad = second.name; a.crossRoadMatch = second.via; a.crossRoadID = second.id
        a.intersectionMarked = marked
        return end
    }

    /// Numbers with their units, from `start`; returns the end of what was used.
    private func parseNumbers(_ s: [UInt32], _ start: Int, _ a: inout StructuredAddress) -> Int {
        var i = start
        while true {
            var j = i
            Self.skipSpaces(s, &j)
            guard j < s.count, AddressScalars.isDigit(s[j]) else { return i }
            var value = 0, digits = 0
            while j < s.count, AddressScalars.isDigit(s[j]) {
                if digits < 9 { value = value * 10 + Int(s[j] - 0x30) }
                digits += 1; j += 1
            }
            guard digits <= 6 else { return i }        // a phone number or an id, not an address part
            var suffix = ""
            if j < s.count, AddressScalars.isLetter(s[j]), s[j] != 0x46 /* F = floor */,
               j + 1 >= s.count || !AddressScalars.isLetter(s[j + 1]) {
                suffix = String(Unicode.Scalar(s[j])!); j += 1
            }
            let unit = Self.unitLength(s, at: j)
            if unit == 0 {
                // A bare number: the 号, or the 弄 when another bare number follows, or the room.
                var k = j
                Self.skipSpaces(s, &k)
                let anotherNumber = k < s.count && AddressScalars.isDigit(s[k]) && k > j
                if a.number == nil && a.lane == nil && anotherNumber {
                    a.lane = value
                } else if a.number == nil {
                    a.number = value; a.numberSuffix = suffix; a.numberWithoutUnit = true
                } else if a.room == nil {
                    a.room = value
                } else {
                    return i
                }
                i = j
                continue
            }
            switch s[j] {
            case AddressChar.long:
                guard a.lane == nil else { return i }
                a.lane = value
            case AddressChar.zhi:
                guard a.subLane == nil else { return i }
                a.subLane = value
            case AddressChar.hao where unit == 2 && s[j + 1] == AddressChar.lou:
                a.building = value
            case AddressChar.hao where unit == 2 && !(j + 2 < s.count && s[j + 2] == AddressChar.kou):
                return i                             // 号门: an estate gate, not a door-plate (but 号门口 is 号 + 门口)
            case AddressChar.hao where unit == 2:
                if a.number == nil { a.number = value; a.numberSuffix = suffix } else { return i }
                i = j + 1
                continue
            case AddressChar.hao, AddressChar.hash:
                if a.number == nil { a.number = value; a.numberSuffix = suffix }
                else if a.building == nil { a.building = value }
                else { return i }
            case AddressChar.zhuang, AddressChar.dong, AddressChar.zuo:
                a.building = value
            case AddressChar.dan:
                a.unit = value
            case AddressChar.shi:
                a.room = value
            case AddressChar.lou, AddressChar.ceng, 0x46:
                a.floor = value
            default:
                return i
            }
            i = j + unit
        }
    }

    /// Qualifiers and the unused text.
    private func parseRest(_ s: [UInt32], _ start: Int, _ a: inout StructuredAddress) {
        var i = start
        var unused: [UInt32] = []
        while i < s.count {
            var matched = false
            for (word, q) in Words.qualifiers where Self.starts(s, i, word) {
                if !a.qualifiers.contains(q) { a.qualifiers.append(q) }
                i += word.count; matched = true
                break
            }
            if !matched { unused.append(s[i]); i += 1 }
        }
        a.remainder = Self.text(unused[...])
    }
}
