import Foundation
import Testing
import TwinGeo

/// `EventTime.unixDays`: the module's calendar rule, against Foundation's Gregorian calendar.
@Suite struct EventTimeCalendarTests {
    @Test func daysAgreeWithFoundationAndRefuseUnrealDates() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for (y, m, d) in [(1970, 1, 1), (1969, 12, 31), (2000, 2, 29), (2024, 2, 29), (2025, 1, 4), (1900, 3, 1), (9999, 12, 31), (1600, 2, 29)] {
            let date = try #require(calendar.date(from: DateComponents(year: y, month: m, day: d)))
            #expect(EventTime.unixDays(year: y, month: m, day: d) == Int((date.timeIntervalSince1970 / 86_400).rounded(.down)), "\(y)-\(m)-\(d)")
        }
        for (y, m, d) in [(2025, 2, 29), (1900, 2, 29), (2025, 4, 31), (2025, 13, 1), (2025, 0, 1), (2025, 1, 0), (0, 1, 1), (10_000, 1, 1)] {
            #expect(EventTime.unixDays(year: y, month: m, day: d) == nil, "\(y)-\(m)-\(d)")
        }
    }
}
