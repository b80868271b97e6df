/// ISO 8601 local times in China Standard Time for the sample year 2025 (no Foundation, no time
/// zone database: CST has had no daylight saving since 1991).
enum Timestamp {
    /// Seconds in 2025.
    static let yearSeconds = 365 * 86_400
    private static let monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

    /// `2025-03-14T08:15:30+08:00` for `seconds` after 2025-01-01T00:00:00+08:00 (clamped to the year).
    static func text(secondsInto2025 seconds: Int) -> String {
        let s = min(max(0, seconds), yearSeconds - 1)
        var day = s / 86_400
        var month = 0
        while day >= monthDays[month] { day -= monthDays[month]; month += 1 }
        let rest = s % 86_400
        return "2025-\(SampleNames.padded(month + 1, 2))-\(SampleNames.padded(day + 1, 2))T"
            + "\(SampleNames.padded(rest / 3600, 2)):\(SampleNames.padded(rest / 60 % 60, 2)):\(SampleNames.padded(rest % 60, 2))+08:00"
    }
}
