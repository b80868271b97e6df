import Foundation
import Testing
import TwinGeo
@testable import TwinSamples

@Suite struct EventTests {
    @Test func eventsCSVParsesToTheRowsInMemory() throws {
        let d = try Samples.district()
        let csv = CSVRecords(try Samples.bytes(try Samples.written() + "/events.csv"))
        #expect(csv.records.first?.fields == EventRow.columns)
        // The last row opens a quote that never closes, so the parser stops there.
        #expect(csv.records.count == d.events.count)  // header + every row but the last
        #expect(csv.unterminatedQuoteLine == d.events.last?.line)
        #expect(d.events.last?.badKind == .unterminatedQuote)
        for (row, record) in zip(d.events, csv.records.dropFirst()) {
            #expect(record.fields == row.fields, "record \(row.record)")
            #expect(record.line == row.line, "record \(row.record) starts on line \(record.line), expected \(row.line)")
        }
        #expect(d.events.count == d.configuration.eventCount + d.configuration.badRowCount)
        // Quoting is exercised: commas in addresses, quotes and line breaks in descriptions.
        let good = d.events.filter { $0.badKind == nil }
        #expect(good.contains { $0.fields[7].contains(",") })
        #expect(good.contains { $0.fields[8].contains("\"") })
        #expect(good.contains { $0.fields[8].contains("\n") })
        let times = good.map { $0.fields[1] }
        #expect(times.allSatisfy { $0.hasPrefix("2025-") && $0.hasSuffix("+08:00") && $0.count == 25 })
        #expect(times == times.sorted())
    }

    @Test func goodRowsAreInsideTheirUnitCellAndGCJRowsAreConverted() throws {
        let d = try Samples.district()
        let unitByCode = Dictionary(uniqueKeysWithValues: d.unitCells.map { ($0.code, $0) })
        var gcj = 0, good = 0, onVertex = 0
        for row in d.events where row.badKind == nil {
            good += 1
            let truth = try #require(row.truth)
            let written = Coordinate(Double(row.fields[2])!, Double(row.fields[3])!)
            switch row.fields[4] {
            case "wgs84": #expect(written == truth)
            case "gcj02":
                gcj += 1
                #expect(d.frame.distance(GCJ02.toWGS84(written), truth) < 0.01, "\(row.id)")
                #expect(d.frame.distance(written, truth) > 100, "GCJ-02 offset in Shanghai is several hundred metres")
            default: Issue.record("crs \(row.fields[4])")
            }
            if row.onSharedVertex {
                onVertex += 1
                #expect(row.unitCode == nil)
                #expect(d.unitCells.contains { coordinates($0.geometry).contains(truth) })
            } else {
                let code = try #require(row.unitCode)
                #expect(contains(try #require(unitByCode[code]).geometry, truth), "\(row.id) not in \(code)")
            }
        }
        let share = Double(gcj) / Double(good)
        #expect(share > 0.12 && share < 0.18, "GCJ-02 share \(share)")
        #expect(onVertex > 0)
    }

    @Test func badRowsMatchTheManifest() throws {
        let d = try Samples.district()
        let text = String(decoding: try Samples.bytes(try Samples.written() + "/bad-rows.json"), as: UTF8.self)
        let manifest = try JSONValue(jsonText: text)
        let rows = try #require(manifest.objectValue?["rows"]?.arrayValue)
        let bad = d.badRows
        #expect(rows.count == d.configuration.badRowCount)
        #expect(Set(bad.compactMap(\.badKind)) == Set(BadRowKind.allCases), "every kind appears")
        let csv = CSVRecords(try Samples.bytes(try Samples.written() + "/events.csv"))
        let byLine = Dictionary(uniqueKeysWithValues: csv.records.map { ($0.line, $0) })
        for (entry, row) in zip(rows, bad) {
            let o = try #require(entry.objectValue)
            let kind = try #require(BadRowKind(rawValue: o["kind"]?.stringValue ?? ""))
            #expect(o["id"]?.stringValue == row.id && kind == row.badKind)
            #expect(o["reason"]?.stringValue == kind.reason && o["expected"]?.stringValue == kind.expected)
            let line = try #require(o["line"]?.doubleValue.map { Int($0) })
            if kind == .unterminatedQuote { #expect(csv.unterminatedQuoteLine == line); continue }
            let record = try #require(byLine[line], "no record starts on line \(line)")
            #expect(record.fields.first == row.id)
            // Each kind is what it says, checked from the parsed text.
            let lon = record.fields.count > 2 ? record.fields[2] : nil, lat = record.fields.count > 3 ? record.fields[3] : nil
            #expect(o["lon"]?.stringValue == lon && o["lat"]?.stringValue == lat)
            switch kind {
            case .emptyLon: #expect(lon == "")
            case .nonNumeric: #expect(lon == "abc")
            case .commaDecimal: #expect(lon?.contains(",") == true && lon?.contains(".") == false)
            case .fullWidthDigits: #expect(lat?.unicodeScalars.contains { (0xFF10...0xFF19).contains($0.value) } == true)
            case .hexNumber: #expect(lon == "0x79")
            case .swappedLatLon: #expect(Double(lat!)! > 90 && Double(lon!)! < 90)
            case .outsideDistrict:
                let p = Coordinate(Double(lon!)!, Double(lat!)!)
                #expect(!contains(d.outline, p) && p.x.isFinite)
            case .nanText: #expect(lon == "NaN")
            case .infText: #expect(lat == "inf")
            case .hugeExponent: #expect(lon == "1e400")
            case .tooFewColumns: #expect(record.fields.count < EventRow.columns.count)
            case .tooManyColumns: #expect(record.fields.count > EventRow.columns.count)
            case .unterminatedQuote: break
            }
        }
    }

    @Test func dispatchRulesCoverEveryCategory() throws {
        let d = try Samples.district()
        let categories = Set(d.events.filter { $0.badKind == nil }.map { $0.fields[6] })
        let ruled = Set(d.dispatchRules.map(\.category))
        #expect(categories.isSubset(of: ruled))
        #expect(Set(d.dispatchRules.map(\.department)) == Set(Department.allCases))
        let csv = CSVRecords(try Samples.bytes(try Samples.written() + "/dispatch-rules.csv"))
        #expect(csv.records.count == d.dispatchRules.count + 1)
        #expect(csv.records.dropFirst().allSatisfy { Department(rawValue: $0.fields[1]) != nil })
    }
}
