/// The names an ``AddressNormalizer`` recognises: towns (街道/镇), roads, 小区 and POIs, with
/// their aliases, in a trie over folded Unicode scalars for longest-match lookup.
///
/// Built once (from an address book, see ``AddressGeocoder``) and immutable. Each canonical name
/// has an id (its index in ``towns``, ``roads``, ``places``); aliases and built-in variants map
/// to the same id:
/// * towns: `长寿路街道` is also found as `长寿街道`; `真如镇街道` as `真如镇` and `真如街道`;
///   `桃浦镇` as `桃浦街道`;
/// * roads: `长寿路` is also found as `长寿` when a number follows (abbreviated);
/// * districts: the 16 districts of Shanghai, with and without 区 (built in).
///
/// An alias never replaces a canonical name: when an alias spells another canonical name, the
/// canonical reading wins.
public struct AddressLexicon: Sendable {
    /// What a name denotes.
    enum Kind: UInt8 { case district, town, road, place }

    struct Entry: Hashable {
        var kind: Kind
        var id: Int32
        var via: AddressNameMatch
    }

    /// Trie: `children[node]` maps a scalar to the next node; `entries[node]` are the names
    /// ending there.
    private var children: [[UInt32: Int32]] = [[:]]
    private var entries: [[Entry]] = [[]]

    /// Canonical town names, by id.
    public private(set) var towns: [String] = []
    /// Canonical road names, by id.
    public private(set) var roads: [String] = []
    /// Canonical 小区 and POI names, by id.
    public private(set) var places: [String] = []
    /// Whether the place with the same id is a POI (else a 小区).
    public private(set) var placeIsPOI: [Bool] = []
    /// Road names folded to scalars, by id (for similarity search).
    private(set) var foldedRoads: [[UInt32]] = []

    static let districts = ["黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定",
                            "浦东新", "金山", "松江", "青浦", "奉贤", "崇明"]

    /// A lexicon with the districts only: the normalizer then reads roads and towns by their
    /// shape alone (every road is ``AddressNameMatch/unknown``).
    public init() {
        for (i, d) in Self.districts.enumerated() {
            insert(d + "区", Entry(kind: .district, id: Int32(i), via: .exact))
            insert(d, Entry(kind: .district, id: Int32(i), via: .abbreviated))
        }
        insert("浦东", Entry(kind: .district, id: 10, via: .abbreviated))
        insert("浦东区", Entry(kind: .district, id: 10, via: .alias))
    }

    /// A lexicon of the given names.
    ///
    /// - Parameters:
    ///   - towns: canonical 街道/镇 names (e.g. `长寿路街道`).
    ///   - roads: canonical road names (e.g. `长寿路`).
    ///   - communities: 小区 names and their aliases.
    ///   - pois: POI names (e.g. `中远两湾城5号门`).
    ///   - aliases: `(alias, canonical, kind)` with kind `road`, `community` (or `poi`) or
    ///     `town`; an alias whose canonical name is not given is ignored (the importer reports it).
    /// - Complexity: O(total length of all names).
    public init(towns: [String], roads: [String], communities: [(name: String, aliases: [String])] = [],
                pois: [String] = [], aliases: [(alias: String, canonical: String, kind: String)] = []) {
        self.init()
        var townID: [String: Int32] = [:], roadID: [String: Int32] = [:], placeID: [String: Int32] = [:]
        for t in towns where townID[t] == nil {
            townID[t] = Int32(self.towns.count); self.towns.append(t)
        }
        for r in roads where roadID[r] == nil {
            roadID[r] = Int32(self.roads.count); self.roads.append(r); foldedRoads.append(Self.fold(r))
        }
        for c in communities where placeID[c.name] == nil {
            placeID[c.name] = Int32(places.count); places.append(c.name); placeIsPOI.append(false)
        }
        for p in pois where placeID[p] == nil {
            placeID[p] = Int32(places.count); places.append(p); placeIsPOI.append(true)
        }
        // Weakest first: a later insert of the same key with a stronger reading replaces it.
        for (r, id) in roadID where r.hasSuffix("路") && r.unicodeScalars.count >= 3 {
            insert(String(r.unicodeScalars.dropLast()), Entry(kind: .road, id: id, via: .abbreviated))
        }
        for (t, id) in townID {
            for variant in Self.townVariants(t) { insert(variant, Entry(kind: .town, id: id, via: .alias)) }
        }
        for a in aliases {
            switch a.kind {
            case "road": if let id = roadID[a.canonical] { insert(a.alias, Entry(kind: .road, id: id, via: .alias)) }
            case "town": if let id = townID[a.canonical] { insert(a.alias, Entry(kind: .town, id: id, via: .alias)) }
            case "community", "poi": if let id = placeID[a.canonical] { insert(a.alias, Entry(kind: .place, id: id, via: .alias)) }
            default: break
            }
        }
        for c in communities {
            for alias in c.aliases where !alias.isEmpty { insert(alias, Entry(kind: .place, id: placeID[c.name]!, via: .alias)) }
        }
        for (t, id) in townID { insert(t, Entry(kind: .town, id: id, via: .exact)) }
        for (r, id) in roadID { insert(r, Entry(kind: .road, id: id, via: .exact)) }
        for (p, id) in placeID { insert(p, Entry(kind: .place, id: id, via: .exact)) }
    }

    /// The built-in spellings of a town besides its own: 长寿路街道 → 长寿街道; 真如镇街道 →
    /// 真如镇, 真如街道; 桃浦镇 → 桃浦街道.
    static func townVariants(_ t: String) -> [String] {
        var out: [String] = []
        var stem = t
        if stem.hasSuffix("街道") { stem = String(stem.unicodeScalars.dropLast(2)) }
        else if stem.hasSuffix("镇") { stem = String(stem.unicodeScalars.dropLast()) }
        else { return out }
        if stem.hasSuffix("镇") {
            out.append(stem)
            stem = String(stem.unicodeScalars.dropLast())
        }
        if stem.hasSuffix("路") && stem.unicodeScalars.count >= 3 { out.append(String(stem.unicodeScalars.dropLast()) + "街道") }
        if stem.unicodeScalars.count >= 2 { out.append(stem + "街道"); out.append(stem + "镇") }
        return out.filter { $0 != t }
    }

    /// Folds a name the way the normalizer folds text (full width, case, variants, Chinese
    /// numerals before units), without separators.
    static func fold(_ name: String) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(name.unicodeScalars.count)
        for s in name.unicodeScalars {
            let v = s.value
            if AddressScalars.isSeparator(v) { continue }
            AddressScalars.fold(v, into: &out)
        }
        AddressNormalizer.convertNumerals(&out)
        return out
    }

    /// Adds a name; a stronger reading (exact > alias > abbreviated) of the same kind replaces a
    /// weaker one for the same key.
    private mutating func insert(_ name: String, _ entry: Entry) {
        let key = Self.fold(name)
        guard !key.isEmpty else { return }
        var node: Int32 = 0
        for c in key {
            if let next = children[Int(node)][c] { node = next; continue }
            let next = Int32(children.count)
            children.append([:]); entries.append([])
            children[Int(node)][c] = next
            node = next
        }
        var list = entries[Int(node)]
        if let i = list.firstIndex(where: { $0.kind == entry.kind }) {
            if Self.strength(entry.via) >= Self.strength(list[i].via) { list[i] = entry }
        } else {
            list.append(entry)
        }
        entries[Int(node)] = list
    }

    private static func strength(_ via: AddressNameMatch) -> Int {
        switch via {
        case .exact: 3
        case .alias: 2
        case .abbreviated: 1
        case .unknown: 0
        }
    }

    /// The longest name of `kind` starting at `s[start]`: its entry and end index (exclusive).
    ///
    /// `accept` can refuse an entry given its end (e.g. an abbreviated road not followed by a
    /// digit); the next shorter name is tried then.
    /// - Complexity: O(length of the longest name).
    func longest(_ kind: Kind, in s: [UInt32], from start: Int,
                 accept: (Entry, Int) -> Bool = { _, _ in true }) -> (entry: Entry, end: Int)? {
        var node = 0
        var i = start
        var best: (Entry, Int)?
        // The walk meets names shortest first, so the last accepted one is the longest.
        while i < s.count, let next = children[node][s[i]] {
            node = Int(next); i += 1
            for e in entries[node] where e.kind == kind && accept(e, i) { best = (e, i) }
        }
        return best.map { (entry: $0.0, end: $0.1) }
    }
}
