#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Instants of the twin file: whole milliseconds since 1970-01-01T00:00:00Z, written as
/// ISO-8601 UTC text (`2025-03-01T00:00:00.000Z`).
///
/// Validity dates are rounded to the millisecond when a layer is imported, so the epochs the
/// builder computes and the instants a reader parses back are the same integers. The text is
/// formatted and parsed here (proleptic Gregorian calendar, UTC) rather than with a date
/// formatter: no locale, no time zone database, no shared mutable formatter across threads.
enum TwinTime {
    /// Milliseconds since the Unix epoch, rounded to the nearest millisecond.
    ///
    /// - Throws: ``TwinQueryError`` (`.argument`) for a non-finite date or one outside years 1–9999.
    static func milliseconds(_ date: Date, what: String) throws -> Int64 {
        let seconds = date.timeIntervalSince1970
        let ms = (seconds * 1000).rounded()
        guard ms.isFinite, ms >= Double(minimum), ms <= Double(maximum) else {
            throw TwinQueryError(.argument, "\(what) \(seconds) s since 1970 is outside the years 1 to 9999")
        }
        return Int64(ms)
    }

    /// The date of `ms` milliseconds since the Unix epoch.
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    /// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
    static let minimum: Int64 = -62_135_596_800_000
    static let maximum: Int64 = 253_402_300_799_999

    /// `YYYY-MM-DDTHH:MM:SS.sssZ` for `ms` (years 1–9999).
    static func format(_ ms: Int64) -> String {
        let (dayNumber, msOfDay) = floorDivide(ms, 86_400_000)
        let (y, m, d) = civil(fromDays: dayNumber)
        let h = msOfDay / 3_600_000, mi = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, f = msOfDay % 1000
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
            + "." + pad(f, 3) + "Z"
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SS[.fff…]Z` (digits of the
    /// fraction beyond milliseconds are dropped); `nil` for any other text or an impossible date.
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= b.count else { return nil }
            var v: Int64 = 0
            for i in range {
                guard (0x30 ... 0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D,
              let y = number(0 ..< 4), let m = number(5 ..< 7), let d = number(8 ..< 10),
              y >= 1, (1 ... 12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        var ms = days(fromCivil: y, m, d) * 86_400_000
        if b.count == 10 { return ms }
        guard b.count >= 20, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b.last == 0x5A,
              let h = number(11 ..< 13), let mi = number(14 ..< 16), let s = number(17 ..< 19),
              h < 24, mi < 60, s < 60 else { return nil }
        ms += (h * 3600 + mi * 60 + s) * 1000
        if b.count == 20 { return ms }
        // A fraction: '.', at least one digit, then 'Z'.
        guard b[19] == 0x2E, b.count >= 22, number(20 ..< b.count - 1) != nil else { return nil }
        var fraction: Int64 = 0
        for i in 0 ..< 3 { fraction = fraction * 10 + (20 + i < b.count - 1 ? Int64(b[20 + i] - 0x30) : 0) }
        return ms + fraction
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let digits = String(v)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Shared by every time parser in the module (one calendar rule).
    static func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(_ y: Int64, _ m: Int64) -> Int64 {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of ``days(fromCivil:_:_:)`` (Hinnant's `civil_from_days`).
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
