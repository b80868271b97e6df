/// Event times: ISO 8601 text with an optional UTC offset, read into Unix seconds.
///
/// Accepted (`T` or one space between date and time):
/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS`, `YYYY-MM-DDTHH:MM:SS.fff…`, each
/// optionally followed by `Z`, `±HH:MM`, `±HHMM` or `±HH`. Text without an offset is in
/// ``defaultOffsetSeconds`` (China Standard Time, +08:00: the district's civil time, which has
/// had no daylight saving since 1991), so `--from 2025-03-01` means midnight in Shanghai.
/// Fractions of a second are dropped (the store keeps whole seconds; the original text is kept
/// as written). Parsed by hand over UTF-8: no locale, no time-zone database, no formatter state.
public enum EventTime {
    /// The offset of text without one: +08:00.
    public static let defaultOffsetSeconds = 8 * 3600

    /// Unix seconds of `text`, or `nil` when it is not one of the accepted forms or not a real
    /// date (2025-02-30, 24:00, offsets beyond ±14:00, years outside 0001–9999).
    ///
    /// - Parameters:
    ///   - text: the time; ASCII spaces around it are ignored.
    ///   - defaultOffsetSeconds: the offset of text that has none.
    /// - Complexity: O(length of `text`).
    public static func unixSeconds(_ text: String, defaultOffsetSeconds: Int = defaultOffsetSeconds) -> Int64? {
        var b = Array(text.utf8)
        while b.last == 0x20 { b.removeLast() }
        while b.first == 0x20 { b.removeFirst() }
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in i ..< i + n {
                guard (0x30 ... 0x39).contains(b[k]) else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(0x2D), let m = digits(2), expect(0x2D), let d = digits(2),
              y >= 1, (1 ... 12).contains(m), d >= 1, d <= TwinTime.daysInMonth(y, m) else { return nil }
        var seconds = TwinTime.days(fromCivil: y, m, d) * 86_400
        var offset = Int64(defaultOffsetSeconds)
        if i < b.count {
            guard b[i] == 0x54 || b[i] == 0x20 else { return nil }
            i += 1
            guard let h = digits(2), expect(0x3A), let mi = digits(2), h < 24, mi < 60 else { return nil }
            var s: Int64 = 0
            if expect(0x3A) {
                guard let v = digits(2), v < 60 else { return nil }
                s = v
                if expect(0x2E) {
                    let start = i
                    while i < b.count, (0x30 ... 0x39).contains(b[i]) { i += 1 }
                    guard i > start else { return nil }
                }
            }
            seconds += h * 3600 + mi * 60 + s
            if expect(0x5A) {
                offset = 0
            } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
                let sign: Int64 = b[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = digits(2), oh <= 14 else { return nil }
                var om: Int64 = 0
                if i < b.count {
                    _ = expect(0x3A)
                    guard let v = digits(2), v < 60 else { return nil }
                    om = v
                }
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return nil }
        return seconds - offset
    }

    /// Days since 1970-01-01 of a date in the proleptic Gregorian calendar, or `nil` when it is not
    /// a real date (months 1–12, the month's days, leap years; years 1–9999). The module's one
    /// calendar rule, for callers that read a time format of their own (the dispatch server's
    /// RFC 3339 event times).
    public static func unixDays(year: Int, month: Int, day: Int) -> Int? {
        guard (1 ... 9999).contains(year), (1 ... 12).contains(month),
              day >= 1, Int64(day) <= TwinTime.daysInMonth(Int64(year), Int64(month)) else { return nil }
        return Int(TwinTime.days(fromCivil: Int64(year), Int64(month), Int64(day)))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds (for messages and JSON output).
    public static func utcText(_ unixSeconds: Int64) -> String {
        let (day, second) = floorDivide(unixSeconds, 86_400)
        let (y, m, d) = TwinTime.civil(fromDays: day)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(second / 3600, 2) + ":" + pad(second / 60 % 60, 2)
            + ":" + pad(second % 60, 2) + "Z"
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
