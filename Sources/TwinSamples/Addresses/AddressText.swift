/// The ways people write numbers and names in addresses, for the noisy event addresses.
enum AddressText {
    private static let digits: [Character] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// Positional Chinese numerals for 1…9999: 12 → 十二, 108 → 一百零八, 588 → 五百八十八,
    /// 1005 → 一千零五, 110 → 一百一十; with `liang`, a leading 2 before 百/千 is 两 (两百).
    /// Other values are returned in Arabic digits.
    static func chinese(_ n: Int, liang: Bool = false) -> String {
        guard n > 0 && n < 10_000 else { return String(n) }
        if n < 100 { return SampleNames.chineseNumber(n) }
        let units: [(Int, String)] = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
        var out = ""
        var pendingZero = false
        var started = false
        for (value, unit) in units {
            let d = (n / value) % 10
            if d == 0 {
                if started { pendingZero = true }
                continue
            }
            if pendingZero { out += "零"; pendingZero = false }
            if d == 2 && liang && !started && value >= 100 { out += "两" } else { out.append(digits[d]) }
            out += unit
            started = true
        }
        return out
    }

    /// Digit by digit, zero as 〇 (`zeroCircle`) or 零: 108 → 一〇八.
    static func chineseDigits(_ n: Int, zeroCircle: Bool = true) -> String {
        String(String(n).map { $0 == "0" ? (zeroCircle ? "〇" : "零") : digits[Int(String($0))!] })
    }

    /// ASCII printable characters (and the space) as their full-width forms (U+FF01…U+FF5E, U+3000).
    static func fullWidth(_ s: String, lettersToo: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            let v = c.value
            if v == 0x20 { out.append("\u{3000}") }
            else if (0x30...0x39).contains(v) || (lettersToo && (0x21...0x7E).contains(v)) {
                out.append(Unicode.Scalar(v + 0xFEE0)!)
            } else { out.append(c) }
        }
        return String(out)
    }

    /// Characters of road names that are commonly mistyped as a homophone (pinyin input):
    /// the typo aliases of the address book.
    static let homophones: [Character: Character] = [
        "长": "常", "宁": "凝", "曹": "漕", "杨": "扬", "真": "珍", "沙": "砂", "阳": "杨", "川": "穿",
        "德": "得", "光": "广", "复": "福", "兰": "蓝", "溪": "西", "枣": "早", "渡": "度", "丹": "单",
        "岚": "兰", "皋": "高", "铜": "同", "泉": "全", "桃": "陶", "祁": "奇", "连": "联", "绥": "随",
        "梅": "眉", "岭": "领", "泸": "卢", "定": "订", "凯": "恺", "古": "谷", "鼎": "顶", "敦": "墩",
        "煌": "皇", "华": "化", "池": "驰", "柳": "流", "青": "清", "云": "芸", "峪": "玉", "威": "薇",
        "石": "实", "管": "关", "甘": "干", "乡": "香", "延": "沿", "风": "峰", "昌": "倡", "澳": "奥",
        "宜": "怡", "远": "源", "叶": "业", "雄": "熊", "荣": "容", "通": "同", "李": "里", "园": "源",
        "红": "虹", "新": "心", "会": "汇", "莫": "漠", "干": "甘", "枫": "丰", "桥": "乔", "景": "井",
        "靖": "静", "武": "午", "汶": "文", "平": "苹", "强": "墙", "顺": "舜", "普": "浦", "江": "疆",
    ]

    /// The road name with its first mistypable character replaced (`长寿路` → `常寿路`), or nil.
    static func typo(of road: String) -> String? {
        var chars = Array(road)
        for k in chars.indices where chars[k] != "路" {
            if let t = homophones[chars[k]] { chars[k] = t; return String(chars) }
        }
        return nil
    }

    /// Historical names of real Putuo/Jing'an roads (alias table kind `road`), used when the
    /// sample has the modern road.
    static let oldRoadNames: [String: String] = [
        "西康路": "小沙渡路", "长寿路": "劳勃生路", "江宁路": "戈登路", "常德路": "赫德路", "安远路": "槟榔路",
    ]

    /// Real Shanghai roads that are not in the sample district (nonexistent addresses).
    static let foreignRoads = [
        "南京东路", "淮海中路", "衡山路", "四川北路", "肇嘉浜路", "漕溪北路", "天目西路", "西藏南路", "复兴中路",
        "陆家嘴环路", "世纪大道", "张杨路", "龙华中路", "虹桥路", "中山南路", "四平路", "延安东路", "瑞金二路",
    ]

    /// The 街镇 name as people shorten it: `长寿路街道` → `长寿街道`, `曹杨新村街道` → `曹杨街道`,
    /// `真如镇街道` → `真如镇`, `桃浦镇` → `桃浦`.
    static func shortTown(_ town: String) -> String? {
        if town.hasSuffix("新村街道") { return String(town.dropLast(4)) + "街道" }
        if town.hasSuffix("镇街道") { return String(town.dropLast(2)) }
        if town.hasSuffix("路街道") { return String(town.dropLast(3)) + "街道" }
        if town.hasSuffix("镇") { return String(town.dropLast()) }
        return nil
    }

    /// Known 小区 of Putuo (and their everyday names), handed out first.
    static let famousCommunities: [(String, [String])] = [
        ("中远两湾城", ["两湾城", "中远两湾"]), ("曹杨新村", ["曹杨村"]), ("大华清水湾", ["清水湾"]),
        ("绿洲仕格维花园", ["仕格维"]), ("阳光建华城", ["建华城"]), ("长风花园", []), ("梅岭苑", []),
        ("武宁小区", []), ("真如苑", []), ("万里城", ["万里城小区"]), ("宜川新村", ["宜川村"]), ("甘泉新村", ["甘泉村"]),
        ("华东师大一村", ["师大一村"]), ("白玉兰公寓", []), ("光新小区", []), ("兰溪青年公寓", ["兰溪公寓"]),
    ]
    static let communityStems = [
        "锦绣", "阳光", "金色", "绿洲", "华馨", "瑞丰", "祥和", "春晖", "嘉和", "丽都", "明珠", "翠湖", "康乐", "宝华",
        "怡景", "东方", "新城", "紫荆", "天安", "香溢", "金鹰", "凯旋", "盛世", "和泰", "馨越", "玉兰", "星河", "清涧",
        "曙光", "安居", "德馨", "雅居", "泰和", "海棠", "枫林", "晶华", "荣和", "朝晖", "金鼎", "申新",
    ]
    static let communitySuffixes = ["花园", "苑", "新村", "公寓", "家园", "华庭", "名邸", "雅苑", "佳苑", "城", "大厦", "小区"]
}
