/// The event-time rule of ``GeocodeOptions/timeColumn``: ISO 8601 text with an explicit offset,
/// parsed from the field's bytes into seconds since 1970-01-01T00:00:00Z.
///
/// Accepted (optional ASCII spaces or tabs around):
/// * `YYYY-MM-DD`: midnight UTC, the convention of the twin file's version dates (so an event
///   dated on a version's first day falls in that version);
/// * `YYYY-MM-DDTHH:MM[:SS[.f…]]` followed by `Z` or an offset `±HH:MM` / `±HHMM` / `±HH`
///   (`T` may be a space). The events of the sample district look like `2025-01-04T12:55:03+08:00`.
///
/// Refused, with the reason: an empty field; a date and time without an offset (local time of
/// which zone? a guess could move an event across a version boundary by hours); impossible
/// dates and times (`2025-02-30`, `24:00`, second 60); years outside 1–9999; anything else.
enum EventTimeParser {
    /// Seconds since the Unix epoch of the time in `bytes[range]`, or why it is not a time.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Result<Double, GeocodeReject> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        guard lo < hi else { return .failure(GeocodeReject(reason: .invalidTime, detail: "is empty")) }
        let t = UnsafeBufferPointer(rebasing: bytes[lo ..< hi])
        switch seconds(t) {
        case .success(let s): return .success(s)
        case .failure(let why): return .failure(GeocodeReject(reason: .invalidTime, detail: "\(CoordinateFieldParser.quoted(t)) \(why.text)"))
        }
    }

    /// Why a text is not an event time (the end of the reject's sentence).
    struct Refusal: Error {
        var text: String
    }

    /// Parses grammar and calendar; `Refusal` says what is wrong.
    static func seconds(_ t: UnsafeBufferPointer<UInt8>) -> Result<Double, Refusal> {
        let n = t.count
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= n else { return nil }
            var v = 0
            for k in at ..< at + count {
                let d = t[k] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        let notISO = Refusal(text: "is not an ISO 8601 date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+08:00)")
        guard let y = digits(0, 4), n >= 10, t[4] == 0x2D, t[7] == 0x2D, let m = digits(5, 2), let d = digits(8, 2) else {
            return .failure(notISO)
        }
        guard y >= 1, (1 ... 12).contains(m), d >= 1, d <= daysInMonth(y, m) else {
            return .failure(Refusal(text: "is not a calendar date"))
        }
        let day = Double(daysFromCivil(y, m, d)) * 86_400
        if n == 10 { return .success(day) }
        guard t[10] == 0x54 || t[10] == 0x74 || t[10] == 0x20, let h = digits(11, 2), n >= 16, t[13] == 0x3A,
              let mi = digits(14, 2) else { return .failure(notISO) }
        var i = 16
        var s = 0.0
        if i < n, t[i] == 0x3A {
            guard let whole = digits(17, 2) else { return .failure(notISO) }
            s = Double(whole)
            i = 19
            if whole > 59 { return .failure(Refusal(text: "has a second above 59")) }
            if i < n, t[i] == 0x2E || t[i] == 0x2C {
                i += 1
                var scale = 0.1
                let start = i
                while i < n, t[i] &- 0x30 < 10 {
                    s += Double(t[i] &- 0x30) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return .failure(notISO) }
            }
        }
        guard h < 24, mi < 60 else { return .failure(Refusal(text: "is not a time of day")) }
        guard i < n else { return .failure(Refusal(text: "has no UTC offset (add Z or +08:00)")) }
        var offset = 0
        if t[i] == 0x5A || t[i] == 0x7A {
            i += 1
        } else if t[i] == 0x2B || t[i] == 0x2D {
            let sign = t[i] == 0x2D ? -1 : 1
            guard let oh = digits(i + 1, 2) else { return .failure(notISO) }
            i += 3
            var om = 0
            if i < n, t[i] == 0x3A { i += 1 }
            if i < n {
                guard let v = digits(i, 2) else { return .failure(notISO) }
                om = v
                i += 2
            }
            guard oh <= 18, om < 60 else { return .failure(Refusal(text: "has an impossible UTC offset")) }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return .failure(notISO)
        }
        guard i == n else { return .failure(notISO) }
        return .success(day + Double(h * 3600 + mi * 60 - offset) + s)
    }

    private static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    private static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
