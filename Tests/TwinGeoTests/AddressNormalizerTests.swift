import Testing
@testable import TwinGeo

/// Exact cases of the address normalizer: each text and the parts it must give.
struct AddressNormalizerTests {
    static let lexicon = AddressLexicon(
        towns: ["长寿路街道", "真如镇街道", "桃浦镇", "曹杨新村街道"],
        roads: ["长寿路", "武宁路", "常德路", "中山北路", "金沙江路", "曹杨路", "镇坪路", "普陀路", "金沙江二支路", "真北路", "交通路", "嘉定路"],
        communities: [(name: "中远两湾城", aliases: ["两湾城", "中远两湾"]), (name: "曹杨新村", aliases: [])],
        pois: ["中远两湾城5号门", "长寿路地铁站"],
        aliases: [(alias: "长受路", canonical: "长寿路", kind: "road"), (alias: "两湾", canonical: "中远两湾城", kind: "community")])
    let normalizer = AddressNormalizer(lexicon: lexicon)

    func parse(_ text: String) throws -> StructuredAddress {
        try normalizer.normalize(text).get()
    }

    struct Expect {
        var road: String? = nil, lane: Int? = nil, subLane: Int? = nil, number: Int? = nil
        var key: String
    }

    @Test(arguments: [
        ("长寿路588弄12号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("普陀区长寿路街道长寿路588弄12号3楼", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("上海市普陀区 长寿路 五百八十八弄十二号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路５８８弄１２号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路 588 弄 12 号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("（普陀）长寿路588衖12號", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路一〇八号", Expect(road: "长寿路", number: 108, key: "长寿路108号")),
        ("长寿路两百号", Expect(road: "长寿路", number: 200, key: "长寿路200号")),
        ("长寿路一百零八号", Expect(road: "长寿路", number: 108, key: "长寿路108号")),
        ("长寿路588弄3支弄7号", Expect(road: "长寿路", lane: 588, subLane: 3, number: 7, key: "长寿路588弄3支弄7号")),
        ("长寿路588弄12", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路588 12", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路588弄12#", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路12a号", Expect(road: "长寿路", number: 12, key: "长寿路12A号")),
        ("长受路588弄12号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿588弄12号", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("镇坪路100号", Expect(road: "镇坪路", number: 100, key: "镇坪路100号")),
        ("普陀路8号", Expect(road: "普陀路", number: 8, key: "普陀路8号")),
        ("金沙江二支路5号", Expect(road: "金沙江二支路", number: 5, key: "金沙江二支路5号")),
        ("长寿路588弄", Expect(road: "长寿路", lane: 588, key: "长寿路588弄")),
        ("长寿路", Expect(road: "长寿路", key: "长寿路")),
        ("甘泉路12号", Expect(road: "甘泉路", number: 12, key: "甘泉路12号")),
        ("长寿路588弄12号近武宁路", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("长寿路588弄12号门口", Expect(road: "长寿路", lane: 588, number: 12, key: "长寿路588弄12号")),
        ("嘉定12弄1号", Expect(road: "嘉定路", lane: 12, number: 1, key: "嘉定路12弄1号")),
        ("嘉定区嘉定路12弄1号", Expect(road: "嘉定路", lane: 12, number: 1, key: "嘉定路12弄1号")),
    ])
    func doorPlates(_ text: String, _ expect: Expect) throws {
        let a = try parse(text)
        #expect(a.road == expect.road, "\(text)")
        #expect(a.lane == expect.lane, "\(text)")
        #expect(a.subLane == expect.subLane, "\(text)")
        #expect(a.number == expect.number, "\(text)")
        #expect(a.canonicalKey == expect.key, "\(text)")
    }

    @Test func prefixesAndBuildingParts() throws {
        let a = try parse("上海市普陀区长寿路街道长寿路588弄12号3幢2单元1502室")
        #expect(a.province == "上海市")
        #expect(a.district == "普陀区")
        #expect(a.town == "长寿路街道")
        #expect(a.building == 3 && a.unit == 2 && a.room == 1502)
        #expect(a.remainder == "")
        let b = try parse("长寿街道长寿路588弄12号楼5F")
        #expect(b.town == "长寿路街道")
        #expect(b.number == nil && b.building == 12 && b.floor == 5)
        let c = try parse("真如镇镇坪路100号")
        #expect(c.town == "真如镇街道" && c.road == "镇坪路" && c.number == 100)
        let d = try parse("普陀长寿路12号")
        #expect(d.district == "普陀区" && d.road == "长寿路")
        let e = try parse("长寿路588弄12号18栋")
        #expect(e.building == 18)
        let f = try parse("长寿路588弄12号 301")
        #expect(f.number == 12 && f.room == 301)
    }

    @Test(arguments: ["武宁路与常德路交叉口", "武宁路常德路口", "武宁路和常德路路口", "常德路、武宁路交叉口",
                      "武宁路 常德路", "普陀区武宁路与常德路交叉口附近"])
    func intersections(_ text: String) throws {
        let a = try parse(text)
        #expect(a.canonicalKey == "常德路与武宁路交叉口", "\(text)")
        #expect(a.lane == nil && a.number == nil)
    }

    @Test func roadsStartingWithAConnector() throws {
        #expect(try parse("武宁路交通路路口").canonicalKey == "交通路与武宁路交叉口")
        #expect(try parse("武宁路与交通路交叉口").canonicalKey == "交通路与武宁路交叉口")
        #expect(try parse("武宁路/交通路").canonicalKey == "交通路与武宁路交叉口")
    }

    @Test func qualifiers() throws {
        #expect(try parse("武宁路与常德路交叉口附近").qualifiers == [.nearby])
        #expect(try parse("近长寿路588弄").qualifiers == [.near])
        #expect(try parse("长寿路588弄对面").qualifiers == [.opposite])
        #expect(try parse("中远两湾城旁边").qualifiers == [.beside])
        #expect(try parse("长寿路588弄12号门口").qualifiers == [.atGate])
        #expect(try parse("长寿路588弄12号").qualifiers == [])
    }

    @Test func places() throws {
        let a = try parse("中远两湾城")
        #expect(a.place == "中远两湾城" && !a.placeIsPOI && a.placeMatch == .exact && a.road == nil)
        #expect(try parse("两湾城").place == "中远两湾城")
        #expect(try parse("两湾").placeMatch == .alias)
        let gate = try parse("中远两湾城五号门")
        #expect(gate.place == "中远两湾城5号门" && gate.placeIsPOI)
        let b = try parse("中远两湾城12号楼")
        #expect(b.place == "中远两湾城" && b.building == 12 && b.number == nil)
        let c = try parse("长寿路588弄中远两湾城12号")
        #expect(c.road == "长寿路" && c.lane == 588 && c.place == "中远两湾城" && c.number == 12)
    }

    @Test func unknownRoads() throws {
        let a = try parse("不存在路99号")
        #expect(a.road == "不存在路" && a.roadMatch == .unknown && a.number == 99)
        let typo = try parse("长寿璐588弄12号")
        #expect(typo.road == "长寿璐" && typo.roadMatch == .unknown && typo.lane == 588)
        let generic = AddressNormalizer()
        let g = try generic.normalize("普陀区长寿路街道长寿路588弄12号").get()
        #expect(g.town == "长寿路街道" && g.road == "长寿路" && g.roadMatch == .unknown && g.lane == 588)
        #expect(try generic.normalize("世纪大道100号").get().roadKind == .avenue)
        #expect(try generic.normalize("曹安公路5号").get().roadKind == .highway)
    }

    @Test func townOnly() throws {
        let a = try parse("长寿路街道")
        #expect(a.town == "长寿路街道" && a.road == nil && a.canonicalKey == "长寿路街道")
    }

    @Test(arguments: [("十", 10), ("十二", 12), ("二十", 20), ("五百八十八", 588), ("一百零八", 108), ("两百", 200),
                      ("一百五", 150), ("一百零五", 105), ("一〇八", 108), ("三千零一", 3001), ("九十九", 99)])
    func chineseNumerals(_ text: String, _ value: Int) {
        let s = text.unicodeScalars.map(\.value)
        #expect(ChineseNumeral.value(s[...]) == value)
    }

    @Test(arguments: ["十百", "八八十", "", "百百"])
    func badChineseNumerals(_ text: String) {
        #expect(ChineseNumeral.value(text.unicodeScalars.map(\.value)[...]) == nil)
    }

    @Test func badInput() {
        #expect(normalizer.normalize("") == .failure(.empty))
        #expect(normalizer.normalize(" ，。！（）\t\n") == .failure(.onlyPunctuation))
        #expect(normalizer.normalize(String(repeating: "长", count: 10_000)) == .failure(.tooLong))
        #expect(normalizer.normalize(String(repeating: "长", count: 512)).map(\.road) == .success(nil))
        #expect(normalizer.normalize("长寿路\u{FFFD}588弄") == .failure(.invalidUTF8))
        #expect(normalizer.normalize(utf8: [0xE9, 0x95, 0x20]) == .failure(.invalidUTF8))
        #expect(normalizer.normalize(utf8: Array("长寿路588弄12号".utf8)).map(\.canonicalKey) == .success("长寿路588弄12号"))
        // Controls and zero-width marks are noise, not part of names.
        #expect(normalizer.normalize("长寿\u{0}路\u{200B}588弄\u{7}12号").map(\.canonicalKey) == .success("长寿路588弄12号"))
    }

    @Test func deterministicAndFoldingIdempotent() throws {
        let texts = ["上海市普陀区长寿路街道长寿路588弄12号3楼", "武宁路与常德路交叉口", "中远两湾城5号门"]
        for t in texts {
            let a = try parse(t)
            #expect(try parse(t) == a)
            #expect(try parse(a.canonicalKey).canonicalKey == a.canonicalKey)
        }
    }
}
