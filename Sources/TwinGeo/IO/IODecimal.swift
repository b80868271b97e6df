/// Decimal number text shared by the WKT and GeoJSON readers and writers.
///
/// Reading: callers validate the grammar first (each format has its own: JSON forbids `+1`,
/// `.5` and `1.`, WKT allows them), then convert here. Conversion is exact: a fast path that
/// is provably correctly rounded (Clinger: a mantissa below 2^53 times or divided by an exact
/// power of ten up to 10^22), and the standard library's correctly rounded parser otherwise.
/// `Double(String)` is only ever handed text that has passed a strict grammar, so `nan`,
/// `inf` and hexadecimal never reach it.
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
        // Slow path: the standard library's correctly rounded conversion. The grammar was
        // checked, so the text is plain decimal and the initialiser cannot return nil.
        var ascii = String(decoding: text, as: UTF8.self)
        if ascii.hasPrefix("+") { ascii.removeFirst() }
        return Double(ascii) ?? .nan
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
