/// Decimal number text shared by the WKT and GeoJSON readers and writers.
///
/// Reading: callers validate the grammar first (each format has its own: JSON forbids `+1`,
/// `.5` and `1.`, WKT allows them), then convert here. Conversion is correctly rounded:
/// Clinger's fast path (a mantissa below 2^53 times or divided by an exact power of ten up to
/// 10^22); exact 128-bit integer arithmetic rounded once for mantissas of up to 19 digits and
/// exponents up to ±19 (17-digit coordinates such as `121.35070000000001`); the standard
/// library's parser for anything else. `Double(String)` is only ever handed text that has
/// passed a strict grammar, so `nan`, `inf` and hexadecimal never reach it.
///
/// Writing: the shortest text that reads back to the same `Double` (Swift's `description`),
/// with a trailing `.0` dropped so integers look like integers (`12`, `-0`, `1e+20`, `5e-324`).
enum IODecimal {
    /// Exact powers of ten representable in a `Double` (10^0 … 10^22).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of grammar-checked decimal text: `[+-]? digits? [. digits?] ([eE] [+-]? digits)?`.
    ///
    /// - Parameter text: ASCII bytes already validated by the caller's grammar.
    /// - Returns: the correctly rounded value; `±infinity` when the magnitude is out of range
    ///   (callers report that as an error), `±0` on underflow.
    static func value<C: Collection>(of text: C) -> Double where C.Element == UInt8 {
        var negative = false
        var mantissa: UInt64 = 0
        var mantissaOverflow = false
        var decimalExponent = 0
        var seenDot = false
        var explicitExponent = 0
        var exponentNegative = false
        var inExponent = false
        var exponentHuge = false
        var index = text.startIndex
        if index != text.endIndex, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index = text.index(after: index)
        }
        while index != text.endIndex {
            let byte = text[index]
            if inExponent {
                if byte == UInt8(ascii: "-") { exponentNegative = true }
                else if byte >= 0x30 && byte <= 0x39 {
                    if explicitExponent < 100_000 { explicitExponent = explicitExponent * 10 + Int(byte - 0x30) }
                    else { exponentHuge = true }
                }
            } else if byte == UInt8(ascii: ".") {
                seenDot = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                inExponent = true
            } else if byte >= 0x30 && byte <= 0x39 {
                let digit = UInt64(byte - 0x30)
                if mantissa <= (UInt64.max - 9) / 10 {
                    mantissa = mantissa * 10 + digit
                    if seenDot { decimalExponent -= 1 }
                } else {
                    mantissaOverflow = true
                    if !seenDot { decimalExponent += 1 }
                }
            }
            index = text.index(after: index)
        }
        if !mantissaOverflow && !exponentHuge && mantissa <= (1 << 53) {
            let exponent = decimalExponent + (exponentNegative ? -explicitExponent : explicitExponent)
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            if exponent >= 0 && exponent <= 22 {
                let v = Double(mantissa) * exactPowersOfTen[exponent]
                return negative ? -v : v
            }
            if exponent < 0 && exponent >= -22 {
                let v = Double(mantissa) / exactPowersOfTen[-exponent]
                return negative ? -v : v
            }
        }
        if !mantissaOverflow && !exponentHuge && mantissa != 0 {
            // Mantissas of up to 19 digits with exponents up to ±19, the usual shape of
            // 17-digit coordinates: exact integer arithmetic, rounded once.
            let exponent = decimalExponent + (exponentNegative ? -explicitExponent : explicitExponent)
            if exponent >= -19 && exponent <= 19 {
                let v = exponent >= 0 ? scaledUp(mantissa, exponent) : scaledDown(mantissa, -exponent)
                return negative ? -v : v
            }
        }
        // Rare shapes (more than 19 digits, large exponents): the standard library's correctly
        // rounded conversion. The grammar was checked, so the text is plain decimal.
        var ascii = String(decoding: text, as: UTF8.self)
        if ascii.hasPrefix("+") { ascii.removeFirst() }
        return Double(ascii) ?? .nan
    }

    private static let powersOfTen: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { v, _ in v * 10 } }

    /// The double nearest to `m × 10^k` (k ≤ 19), from the exact 128-bit product.
    static func scaledUp(_ m: UInt64, _ k: Int) -> Double {
        let (high, low) = m.multipliedFullWidth(by: powersOfTen[k])
        if high == 0 { return rounded(low, sticky: false, scale: 0) }
        // Keep the top 64 bits; the bits shifted out only matter as the sticky bit.
        let shift = 64 - high.leadingZeroBitCount
        let top = high << (64 - shift) | low >> shift
        let dropped = low & ~(UInt64.max << shift)
        return rounded(top, sticky: dropped != 0, scale: shift)
    }

    /// The double nearest to `m / 10^k` (1 ≤ k ≤ 19): a 64-bit quotient of `m × 2^s` by `10^k`,
    /// with the remainder as the sticky bit.
    static func scaledDown(_ m: UInt64, _ k: Int) -> Double {
        let d = powersOfTen[k]
        let bitsM = 64 - m.leadingZeroBitCount
        let bitsD = 64 - d.leadingZeroBitCount
        var s = 64 - bitsM + bitsD - 1
        while true {
            // m × 2^s as 128 bits (s ≤ 127 - bitsM keeps it in range).
            let high: UInt64 = s == 0 ? 0 : (s >= 64 ? m << (s - 64) : m >> (64 - s))
            let low: UInt64 = s >= 64 ? 0 : m << s
            let (q, r) = d.dividingFullWidth((high, low))
            if q.leadingZeroBitCount > 0 { s += 1; continue } // make the quotient a full 64 bits
            return rounded(q, sticky: r != 0, scale: -s)
        }
    }

    /// `value × 2^scale` rounded to 53 bits, ties to even (`sticky`: nonzero bits below `value`).
    private static func rounded(_ value: UInt64, sticky: Bool, scale: Int) -> Double {
        let bits = 64 - value.leadingZeroBitCount
        guard bits > 53 else { return Double(sign: .plus, exponent: scale, significand: Double(value)) }
        let drop = bits - 53
        var kept = value >> drop
        let rest = value & ((1 << drop) - 1)
        let half: UInt64 = 1 << (drop - 1)
        if rest > half || (rest == half && (sticky || kept & 1 == 1)) { kept += 1 }
        return Double(sign: .plus, exponent: scale + drop, significand: Double(kept))
    }

    /// The shortest decimal text that reads back to exactly `value` (finite values only).
    ///
    /// `1.0` → `1`, `-0.0` → `-0`, `1e-05` and `1e+20` are kept (every TwinGeo reader and
    /// RFC 8259 accept exponents).
    static func text(_ value: Double) -> String {
        var s = value.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// `text(value)` for JSON: as `text`, except negative zero is `-0.0`, because many JSON
    /// readers (Python's `json`, nlohmann/GEOS) read `-0` as the integer 0 and lose the sign.
    static func jsonText(_ value: Double) -> String {
        value == 0 && value.sign == .minus ? "-0.0" : text(value)
    }

    /// Appends `jsonText(value)` as ASCII bytes.
    static func appendJSON(_ value: Double, to out: inout [UInt8]) {
        out.append(contentsOf: jsonText(value).utf8)
    }

    /// Appends `text(value)` as ASCII bytes.
    static func append(_ value: Double, to out: inout [UInt8]) {
        out.append(contentsOf: text(value).utf8)
    }
}
