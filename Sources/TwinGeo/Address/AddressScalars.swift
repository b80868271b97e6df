// Scalar-level folding of address text: the first step of `AddressNormalizer`, on Unicode
// scalars (no Foundation), so it is deterministic and the same on every platform.

/// The character classes and foldings the address normalizer works with.
///
/// Folding (``fold(_:)``) is NFKC-like for what addresses contain, not full NFKC:
/// * full-width ASCII U+FF01…U+FF5E → ASCII (`５８８` → `588`, `Ａ` → `A`), U+3000 → space;
/// * ASCII letters → upper case (`12a号` and `12A号` are one door-plate);
/// * traditional or variant forms seen in Shanghai addresses → the simplified ones used by the
///   address book: 號→号, 樓→楼, 衖→弄 (the old Shanghai 弄), 棟→栋, 區→区, 門→门, 鎮→镇,
///   與→与, 陸→陆;
/// * circled digits ①…⑳ → their numbers.
///
/// Everything else is kept as it is; noise is classified by ``isSeparator(_:)``.
enum AddressScalars {
    /// The folded form of one scalar (see the type's summary), or `nil` when the scalar is
    /// dropped as noise (a separator: spaces, punctuation, controls, format characters).
    ///
    /// Circled digits fold to a digit sequence, so the result is written into `out`.
    @inline(__always)
    static func fold(_ v: UInt32, into out: inout [UInt32]) {
        var c = v
        if c >= 0xFF01 && c <= 0xFF5E { c -= 0xFEE0 }            // full-width ASCII
        if c >= 0x61 && c <= 0x7A { c -= 0x20 }                  // a-z → A-Z
        if c >= 0x2460 && c <= 0x2473 {                          // ①…⑳
            let n = c - 0x2460 + 1
            if n >= 10 { out.append(0x30 + n / 10) }
            out.append(0x30 + n % 10)
            return
        }
        switch c {
        case 0x865F: c = 0x53F7   // 號 → 号
        case 0x6A13: c = 0x697C   // 樓 → 楼
        case 0x8856: c = 0x5F04   // 衖 → 弄
        case 0x68DF: c = 0x680B   // 棟 → 栋
        case 0x5340: c = 0x533A   // 區 → 区
        case 0x9580: c = 0x95E8   // 門 → 门
        case 0x93AE: c = 0x9547   // 鎮 → 镇
        case 0x8207: c = 0x4E0E   // 與 → 与
        case 0x9678: c = 0x9646   // 陸 → 陆
        default: break
        }
        out.append(c)
    }

    /// Whether a folded scalar is noise between the parts of an address: white space, C0/C1
    /// controls, ASCII punctuation other than `#` (`12#` is 12号), general punctuation
    /// (U+2000…U+206F, including zero-width and bidi marks), CJK punctuation (U+3000…U+303F but
    /// not 〇 U+3007, a numeral), the replacement character, BOM and variation selectors.
    /// Full-width forms U+FF01…U+FF5E are classified as their ASCII forms (`，` like `,`).
    @inline(__always)
    static func isSeparator(_ v: UInt32) -> Bool {
        let c = v >= 0xFF01 && v <= 0xFF5E ? v - 0xFEE0 : v
        if c <= 0x20 || (c >= 0x7F && c <= 0xA0) { return true }
        if c < 0x80 {
            // ASCII punctuation: !"$%&'()*+,-./ :;<=>?@ [\]^_` {|}~ — not '#'.
            return (c >= 0x21 && c <= 0x2F && c != 0x23) || (c >= 0x3A && c <= 0x40)
                || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
        }
        if c >= 0x2000 && c <= 0x206F { return true }
        if c >= 0x3000 && c <= 0x303F { return c != 0x3007 }
        if c >= 0xFE00 && c <= 0xFE0F { return true }           // variation selectors
        if c >= 0xFE30 && c <= 0xFE4F { return true }           // CJK compatibility forms
        if c >= 0xFF5F && c <= 0xFF65 { return true }           // half-width CJK punctuation
        switch c {
        case 0xFEFF, 0xFFFD, 0x00B7, 0x00D7, 0x2E3A, 0x2E3B: return true
        default: return false
        }
    }

    @inline(__always) static func isDigit(_ c: UInt32) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isLetter(_ c: UInt32) -> Bool { c >= 0x41 && c <= 0x5A }

    /// The value of a Chinese numeral character: 零〇 0, 一…九 1…9, 两 2; `nil` otherwise.
    @inline(__always)
    static func chineseDigit(_ c: UInt32) -> Int? {
        switch c {
        case 0x96F6, 0x3007: 0        // 零 〇
        case 0x4E00: 1                // 一
        case 0x4E8C, 0x4E24: 2        // 二 两
        case 0x4E09: 3                // 三
        case 0x56DB: 4                // 四
        case 0x4E94: 5                // 五
        case 0x516D: 6                // 六
        case 0x4E03: 7                // 七
        case 0x516B: 8                // 八
        case 0x4E5D: 9                // 九
        default: nil
        }
    }

    /// The multiplier of a Chinese numeral unit: 十 10, 百 100, 千 1000; `nil` otherwise.
    @inline(__always)
    static func chineseUnit(_ c: UInt32) -> Int? {
        switch c {
        case 0x5341: 10     // 十
        case 0x767E: 100    // 百
        case 0x5343: 1000   // 千
        default: nil
        }
    }

    /// Whether `c` is a Chinese numeral character (digit or unit).
    @inline(__always)
    static func isChineseNumeral(_ c: UInt32) -> Bool { chineseDigit(c) != nil || chineseUnit(c) != nil }
}

/// Scalars the parser looks for, by name (UTF-32 values), so the rules read as text.
enum AddressChar {
    static let lu: UInt32 = 0x8DEF        // 路
    static let jie: UInt32 = 0x8857       // 街
    static let dao: UInt32 = 0x9053       // 道
    static let da: UInt32 = 0x5927        // 大
    static let gong: UInt32 = 0x516C      // 公
    static let zhi: UInt32 = 0x652F       // 支
    static let xiang: UInt32 = 0x5DF7     // 巷
    static let long: UInt32 = 0x5F04      // 弄
    static let hao: UInt32 = 0x53F7       // 号
    static let lou: UInt32 = 0x697C       // 楼
    static let zhuang: UInt32 = 0x5E62    // 幢
    static let dong: UInt32 = 0x680B      // 栋
    static let zuo: UInt32 = 0x5EA7       // 座
    static let dan: UInt32 = 0x5355       // 单
    static let yuan: UInt32 = 0x5143      // 元
    static let shi: UInt32 = 0x5BA4       // 室
    static let ceng: UInt32 = 0x5C42      // 层
    static let men: UInt32 = 0x95E8       // 门
    static let kou: UInt32 = 0x53E3       // 口
    static let qu: UInt32 = 0x533A        // 区
    static let zhen: UInt32 = 0x9547      // 镇
    static let shiCity: UInt32 = 0x5E02   // 市
    static let sheng: UInt32 = 0x7701     // 省
    static let hash: UInt32 = 0x23        // #
}
