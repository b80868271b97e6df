/// Chinese names used by the generator. Road and place names are Putuo's (or sound like them);
/// which block gets which name is synthetic.
enum SampleNames {
    /// The 8 街道 (streets) in the order they are handed out (north to south), then the 2 镇.
    static let streets = ["甘泉路街道", "宜川路街道", "万里街道", "石泉路街道", "真如镇街道", "曹杨新村街道", "长寿路街道", "长风新村街道"]
    /// The 2 镇 (towns): the northern, then the southern of the two western regions.
    static let towns = ["桃浦镇", "长征镇"]

    /// Road names handed to lattice lines (shuffled per seed); overflow adds 支路 variants.
    static let roads = [
        "金沙江路", "光复西路", "长寿路", "武宁路", "曹杨路", "兰溪路", "枣阳路", "真北路", "大渡河路", "中山北路",
        "志丹路", "岚皋路", "宜川路", "铜川路", "真如路", "桃浦路", "祁连山路", "交通路", "绥德路", "常德路",
        "西康路", "江宁路", "梅岭北路", "怒江北路", "丹巴路", "泸定路", "白兰路", "凯旋北路", "同普路", "新村路",
        "古浪路", "金鼎路", "敦煌路", "雪松路", "华池路", "杨柳青路", "云岭东路", "清峪路", "威宁路", "北石路",
        "子长路", "大华路", "管弄路", "甘泉路", "西乡路", "延长西路", "长风路", "中江路", "云岭西路", "昌化路",
        "澳门路", "宜昌路", "安远路", "叶家宅路", "普雄路", "沪太路", "万荣路", "真华路", "真光路", "金通路",
        "曹安路", "李子园路", "红柳路", "新会路", "莫干山路", "光新路", "梅川路", "枫桥路", "杏山路", "远景路",
        "靖边路", "武威路", "金昌路", "祁安路", "新杨路", "汶水路", "高平路", "宁强路", "岚皋西路", "桃浦西路",
        "真南路", "怒江路", "顺义路", "棕榈路", "铜川西路", "西宫路", "柳园路", "景泰路", "岚灵路", "象源路",
        "中宁路", "新沪路", "真金路", "嘉定路", "千阳路", "水泉路", "石泉路", "兴旺路", "新湖路", "梅安路",
    ]

    /// Village (村) name stems for 村民委员会.
    static let villages = ["李子园", "红旗", "真如", "长征", "梅川", "新华", "沪太", "祁连", "金光", "桃浦",
                           "槎浦", "沙家", "野泾", "封浜", "东新", "华丰", "新桥", "陆家"]

    static let chineseDigits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 1 → 一, 12 → 十二, 20 → 二十, 35 → 三十五 (1…99); larger numbers in Arabic digits.
    static func chineseNumber(_ n: Int) -> String {
        guard n > 0 && n < 100 else { return String(n) }
        if n < 10 { return chineseDigits[n] }
        let tens = n / 10, ones = n % 10
        return (tens == 1 ? "" : chineseDigits[tens]) + "十" + (ones == 0 ? "" : chineseDigits[ones])
    }

    /// `n` as a zero-padded decimal of `width` digits.
    static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The road names for `count` lattice lines: the list shuffled by `rng`, then 支路 variants.
    static func roadNames(count: Int, rng: inout SplitMix64) -> [String] {
        var names = roads
        rng.shuffle(&names)
        var out: [String] = []
        var round = 0
        while out.count < count {
            for n in names where out.count < count {
                out.append(round == 0 ? n : String(n.dropLast()) + (round == 1 ? "支路" : "\(chineseNumber(round))支路"))
            }
            round += 1
        }
        return out
    }
}
