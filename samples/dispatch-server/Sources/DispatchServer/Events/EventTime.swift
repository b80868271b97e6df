import TwinGeo

/// Event times: RFC 3339 instants (`2025-01-04T12:55:03+08:00`, `…Z`, optional fraction) or
/// calendar dates (`2025-01-04`, midnight UTC, as `twin-tool locate --at` reads them).
///
/// Parsed by hand (no `DateFormatter`: it is slow, locale-dependent and lenient); the result is
/// seconds since 1970-01-01T00:00:00Z, which the twin's per-point batch locate takes.
enum EventTime {
    /// Parses `text`; `nil` when it is not one of the two forms or is outside the years 1–9999.
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for k in at ..< at + n {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
              b[7] == UInt8(ascii: "-"), let day = digits(8, 2),
              let unixDays = TwinGeo.EventTime.unixDays(year: year, month: month, day: day) else { return nil }
        let days = Double(unixDays)
        if b.count == 10 { return days * 86_400 }
        guard b.count >= 20, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
              let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
              let second = digits(17, 2), hour < 24, minute < 60, second < 61 else { return nil }
        var k = 19
        var fraction = 0.0
        if b[k] == UInt8(ascii: ".") {
            k += 1
            var scale = 0.1
            let start = k
            while k < b.count, b[k] >= 0x30, b[k] <= 0x39 { fraction += Double(b[k] - 0x30) * scale; scale /= 10; k += 1 }
            guard k > start, k - start <= 9 else { return nil }
        }
        guard k < b.count else { return nil }
        var offset = 0
        switch b[k] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            k += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = digits(k + 1, 2), k + 3 < b.count, b[k + 3] == UInt8(ascii: ":"), let om = digits(k + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[k] == UInt8(ascii: "-") ? -1 : 1)
            k += 6
        default:
            return nil
        }
        guard k == b.count else { return nil }
        return days * 86_400 + Double(hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
