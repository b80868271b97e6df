@testable import DispatchServer
import NIOCore
import Testing
import TwinGeo

/// The hand-written event reader and time parser, against the values JSON and RFC 3339 define.
@Suite struct EventJSONReaderTests {
    func read(_ text: String) throws -> Result<EventInput, EventProblem> {
        try EventBody.single(ByteBuffer(string: text))
    }

    @Test func numbersAreReadExactly() throws {
        for text in ["121.41923733", "-0.0", "31.2571888", "1e2", "1E-7", "0.1", "123456789.123456789", "5e-324", "-180", "0"] {
            let r = try read(#"{"id":"a","lon":\#(text),"lat":0,"category":"c","crs":"EPSG:4549"}"#)
            #expect(try r.get().lon == Double(text)!, "\(text)")
            #expect(try r.get().lon.sign == Double(text)!.sign)
        }
    }

    @Test func stringsDecodeEscapesAndKeepUnicode() throws {
        let r = try read(#"{"id":"a\"b\\c\/d\u00e9\ud83d\ude00\n","lon":1,"lat":2,"category":"积水","address":"古浪路340号"}"#)
        let e = try r.get()
        #expect(e.id == "a\"b\\c/d\u{e9}\u{1F600}\n")
        #expect(e.category == "积水")
        #expect(e.address == "古浪路340号")
    }

    @Test func unknownMembersAreValidatedAndIgnored() throws {
        let r = try read(#"{"source":{"a":[1,2,{"b":null}],"c":true},"id":12,"lon":1,"lat":2,"category":"c","description":"x"}"#)
        #expect(try r.get().id == "12")
        #expect(throws: JSONSyntaxError.self) { try read(#"{"source":[1,2,,3],"id":1,"lon":1,"lat":2,"category":"c"}"#) }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONSyntaxError.self) { try read(#"{"x":\#(deep),"id":1,"lon":1,"lat":2,"category":"c"}"#) }
    }

    @Test func crsNamesAndDefault() throws {
        #expect(try read(#"{"id":"a","lon":1,"lat":2,"category":"c"}"#).get().crs == .wgs84)
        #expect(try read(#"{"id":"a","lon":1,"lat":2,"category":"c","crs":null}"#).get().crs == .wgs84)
        #expect(try read(#"{"id":"a","lon":1,"lat":2,"category":"c","crs":"GCJ-02"}"#).get().crs == .gcj02)
        #expect(try read(#"{"id":"a","lon":1,"lat":2,"category":"c","crs":"EPSG:4490"}"#).get().crs == .cgcs2000)
    }

    @Test func timesAreRFC3339OrDates() {
        #expect(EventTime.parse("1970-01-01T00:00:00Z") == 0)
        #expect(EventTime.parse("2025-01-04T12:55:03+08:00") == 1_735_966_503)
        #expect(EventTime.parse("2025-01-04T04:55:03.5Z") == 1_735_966_503.5)
        #expect(EventTime.parse("2024-02-29") == 1_709_164_800)
        #expect(EventTime.parse("0001-01-01") == -62_135_596_800)
        for bad in ["2025-13-01", "2025-02-29", "2025-01-04T25:00:00Z", "2025-01-04T12:55:03", "2025-1-4", "0000-01-01",
                    "2025-01-04T12:55:03+8:00", "2025-01-04T12:55:03Zjunk", ""] {
            #expect(EventTime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func ndjsonSplitsLinesAndNamesBodyOffsets() throws {
        let body = "{\"id\":\"a\",\"lon\":1,\"lat\":2,\"category\":\"c\"}\n{\"id\":\"b\",\"lon\":1 \"lat\":2}\n"
        let items = try EventBody.batch(ByteBuffer(string: body), framing: .ndjson, limit: 10)
        try #require(items.count == 2)
        guard case .syntax(let e) = items[1] else { Issue.record("line 2 is malformed"); return }
        // Offsets count from the start of the body, not of the line.
        #expect(e.offset == 41 + 1 + 18)
    }
}
