/// The strict number rule for CSV coordinates (DESIGN.md, "Input handling").
///
/// Accepted: optional ASCII spaces or tabs around `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`,
/// converted by ``IODecimal`` (correctly rounded; the one number rule of every reader).
/// Everything `Double(String)` would also take but is not a coordinate is a reject with its
/// reason: `nan`/`inf`/`infinity` and overflow (`1e400`) are ``GeocodeRejectReason/nonFinite``;
/// hexadecimal, comma decimals, full-width digits and any other text are
/// ``GeocodeRejectReason/invalidNumber``; an empty field is ``GeocodeRejectReason/missingCoordinate``.
enum CoordinateFieldParser {
    /// The value of `bytes`, or why it is not a coordinate number.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Result<Double, GeocodeReject> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        guard lo < hi else { return .failure(GeocodeReject(reason: .missingCoordinate, detail: "is empty")) }
        let text = UnsafeBufferPointer(rebasing: bytes[lo ..< hi])
        if grammarAccepts(text) {
            let v = IODecimal.value(of: text)
            guard v.isFinite else {
                return .failure(GeocodeReject(reason: .nonFinite, detail: "\(quoted(text)) is too large for a number"))
            }
            return .success(v)
        }
        return .failure(diagnose(text))
    }

    /// `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?` over the whole text.
    @inline(__always)
    static func grammarAccepts(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = t.count
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && t[k] &- 0x30 < 10 }
        if i < n, t[i] == 0x2B || t[i] == 0x2D { i += 1 }
        var digits = 0
        while isDigit(i) { i += 1; digits += 1 }
        if i < n, t[i] == 0x2E {
            i += 1
            while isDigit(i) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < n, t[i] == 0x65 || t[i] == 0x45 {
            i += 1
            if i < n, t[i] == 0x2B || t[i] == 0x2D { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == n
    }

    /// The reason text that failed the grammar is not a number.
    static func diagnose(_ t: UnsafeBufferPointer<UInt8>) -> GeocodeReject {
        let text = String(decoding: t, as: UTF8.self)
        var body = Substring(text.lowercased())
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if body == "nan" || body == "inf" || body == "infinity" {
            return GeocodeReject(reason: .nonFinite, detail: "\(quoted(t)) is not a finite number")
        }
        if body.hasPrefix("0x") {
            return GeocodeReject(reason: .invalidNumber, detail: "\(quoted(t)) is hexadecimal; coordinates are decimal")
        }
        if text.unicodeScalars.contains(where: { $0.value >= 0xFF10 && $0.value <= 0xFF19 || $0.value == 0xFF0E }) {
            return GeocodeReject(reason: .invalidNumber, detail: "\(quoted(t)) has full-width digits; write ASCII digits")
        }
        if text.contains(","), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == "-" || $0 == "+") }) {
            return GeocodeReject(reason: .invalidNumber, detail: "\(quoted(t)) has a comma decimal separator; write a point")
        }
        return GeocodeReject(reason: .invalidNumber, detail: "\(quoted(t)) is not a decimal number")
    }

    /// The field text in quotes for a message, shortened to 40 characters.
    static func quoted(_ t: UnsafeBufferPointer<UInt8>) -> String {
        let text = String(decoding: t, as: UTF8.self)
        return "\"" + (text.count > 40 ? String(text.prefix(40)) + "…" : text) + "\""
    }
}
