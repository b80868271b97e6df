import Foundation
import Testing
@testable import TwinGeo

/// RFC 4180 reading: quoting, line ends, BOM, every malformed kind with its line and the record
/// after it, and a sweep of block sizes across every byte boundary.
@Suite struct CSVReaderTests {
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    static func records(_ path: String, blockSize: Int = 1 << 16, chunk: Int = 1000, delimiter: UInt8 = UInt8(ascii: ","),
                        maxRecordBytes: Int = 16 << 20) throws -> [CSVRecord] {
        let reader = try CSVReader(path: path, delimiter: delimiter, blockSize: blockSize, maxRecordBytes: maxRecordBytes)
        var all: [CSVRecord] = []
        while let c = try reader.readChunk(maxRecords: chunk) { all += (0 ..< c.count).map(c.record) }
        return all
    }

    @Test func quotedFieldsEscapesAndEmbeddedSeparators() throws {
        let path = try Self.file("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"\"\r\nplain,,end\r\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r == [
            CSVRecord(fields: ["a", "b", "c"], line: 1),
            CSVRecord(fields: ["x,1", "say \"hi\"", ""], line: 2),
            CSVRecord(fields: ["plain", "", "end"], line: 3),
        ])
    }

    @Test func embeddedNewlinesCountPhysicalLines() throws {
        let path = try Self.file("id,text\n1,\"two\nlines\"\n2,\"three\r\nphysical\nlines\"\n3,x")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r.map(\.line) == [1, 2, 4, 7])
        #expect(r[1].fields == ["1", "two\nlines"])
        #expect(r[2].fields == ["2", "three\r\nphysical\nlines"])
        #expect(r[3].fields == ["3", "x"], "the last record needs no line end")
    }

    @Test func lfAndCRLFAndBareCR() throws {
        let path = try Self.file("a,b\r\n1,2\n3,4\r\n5\r6,7\r\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"], ["5\r6", "7"]])
        #expect(r.allSatisfy { $0.issue == nil })
    }

    @Test func byteOrderMarkIsSkippedOnlyAtTheStart() throws {
        let path = try Self.file([0xEF, 0xBB, 0xBF] + Array("lon,lat\n\u{FEFF}1,2\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for block in [1, 2, 3, 4, 64] {
            let r = try Self.records(path, blockSize: block)
            #expect(r.map(\.fields) == [["lon", "lat"], ["\u{FEFF}1", "2"]], "block size \(block)")
        }
    }

    @Test func blankLineIsOneEmptyFieldAndNoPhantomRecordAtEnd() throws {
        let path = try Self.file("a,b\n\n1,2\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r.map(\.fields) == [["a", "b"], [""], ["1", "2"]])
        #expect(r.map(\.line) == [1, 2, 3])
    }

    @Test func quoteInsideUnquotedFieldIsReportedAndNextRecordRead() throws {
        let path = try Self.file("a,b,c\n1,ab\"c,3\n2,ok,4\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r[1].issue == .quoteInUnquotedField(line: 2, column: 2))
        #expect(r[1].fields == ["1", "ab\"c", "3"], "the rest of the line is read literally")
        #expect(r[2] == CSVRecord(fields: ["2", "ok", "4"], line: 3))
        #expect(r[1].issue?.reason == "malformed_quote")
    }

    @Test func textAfterClosingQuoteIsReportedAndNextRecordRead() throws {
        let path = try Self.file("a,b\r\n\"x\"y,2\r\n\"multi\nline\"z\r\n3,4\r\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r[1].issue == .textAfterClosingQuote(line: 2, column: 1))
        #expect(r[1].fields == ["xy", "2"])
        #expect(r[2].issue == .textAfterClosingQuote(line: 4, column: 1))
        #expect(r[2].line == 3)
        #expect(r[3] == CSVRecord(fields: ["3", "4"], line: 5))
    }

    @Test func unterminatedQuoteTakesTheRestOfTheFile() throws {
        let path = try Self.file("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r.count == 3)
        #expect(r[2].line == 3)
        #expect(r[2].issue == .unterminatedQuote(line: 3, column: 2))
        #expect(r[2].fields == ["3", "open\n4,5\n6,7\n"])
        #expect(r[2].issue?.reason == "unterminated_quote")
    }

    @Test func invalidUTF8IsReportedWithItsField() throws {
        let path = try Self.file(Array("a,b\n".utf8) + [0x31, 0x2C, 0x61, 0xC3, 0x28, 0x0A] + Array("2,é\n".utf8)
                                 + [0x33, 0x2C, 0xED, 0xA0, 0x80, 0x0A])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path)
        #expect(r[1].issue == .invalidUTF8(column: 2, byte: 1))
        #expect(r[2] == CSVRecord(fields: ["2", "é"], line: 3))
        #expect(r[3].issue == .invalidUTF8(column: 2, byte: 0), "a UTF-16 surrogate encoded in UTF-8 is refused")
    }

    @Test func overlongRecordIsTruncatedAndReported() throws {
        let path = try Self.file("a\n" + String(repeating: "x", count: 100) + "\nshort\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Self.records(path, blockSize: 7, maxRecordBytes: 10)
        #expect(r[1].issue == .recordTooLong(limit: 10))
        #expect(r[1].fields == [String(repeating: "x", count: 10)])
        #expect(r[2] == CSVRecord(fields: ["short"], line: 3))
    }

    @Test func otherDelimiter() throws {
        let path = try Self.file("a;b\n\"1;2\";3,4\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Self.records(path, delimiter: UInt8(ascii: ";")).map(\.fields) == [["a", "b"], ["1;2", "3,4"]])
    }

    /// Every block size from 1 byte up, and chunks of 1 and 2 records, give the same records as
    /// one big block: no state is lost at a block boundary (inside a quote, between CR and LF,
    /// in an escaped quote, in the BOM, in a multi-byte character).
    @Test func blockBoundarySweep() throws {
        let text = "\u{FEFF}id,name,note\r\n1,\"a,b\",\"say \"\"x\"\"\"\r\n2,张三,\"line1\r\nline2\"\r\n"
            + "3,bad\"q,x\n4,\"c\"d,y\r\n5,é,\r\n6,\"end\"\r\n7,\"open,\r\nrest"
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = try Self.records(path)
        #expect(expected.count == 8)
        #expect(expected[7].issue == .unterminatedQuote(line: 9, column: 2))
        for block in 1 ... text.utf8.count + 1 {
            for chunk in [1, 2, 1000] {
                #expect(try Self.records(path, blockSize: block, chunk: chunk) == expected, "block \(block), chunk \(chunk)")
            }
        }
    }

    @Test func writerQuotesOnlyWhenNeededAndReadsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("csvw-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = [["plain", "a,b", "q\"uote", "two\nlines", "cr\r", "", " space "]]
        let writer = try CSVWriter(path: path)
        for row in rows { try writer.writeRecord(row) }
        try writer.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "plain,\"a,b\",\"q\"\"uote\",\"two\nlines\",\"cr\r\",, space \r\n")
        #expect(try Self.records(path).map(\.fields) == rows)
    }

    @Test func headerLookupNamesMissingColumnAndListsHeader() throws {
        let path = try Self.file("id,lon,lat\n1,2,3\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = try CSVHeader.read(from: CSVReader(path: path))
        #expect(try header.require("lat") == 2)
        do {
            _ = try header.require("longitude")
            Issue.record("a missing column must throw")
        } catch let error as FormatError {
            #expect(error.description == "\(path):1, field \"longitude\": the header has no column \"longitude\" (columns: id, lon, lat)")
        }
    }

    @Test func emptyFileAndMissingFileAreErrors() throws {
        let path = try Self.file("")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FormatError.self) { try CSVHeader.read(from: CSVReader(path: path)) }
        #expect(throws: IOFileError.self) { try CSVReader(path: path + ".missing") }
    }

    /// A record none of whose fields needs quotes is stored as its own text (fields joined by the
    /// delimiter), which the geocoder copies through in one piece; every other record is marked
    /// so writers re-encode it. Checked for the fast path (whole record inside a block) and the
    /// state machine (tiny blocks), which must agree.
    @Test func plainRecordsAreTheirOwnText() throws {
        let text = "a,b,c\r\n1,2,3\n\"q\",x,\n\"a,b\",c,d\n5\r6,7,8\r\n,,\n张三,\"say \"\"hi\"\"\",z\n\"two\nlines\",y,z\nlast,1,2"
        let path = try Self.file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for block in [1, 3, 7, 1 << 16] {
            let reader = try CSVReader(path: path, blockSize: block)
            let chunk = try #require(try reader.readChunk(maxRecords: 100))
            #expect(chunk.count == 9)
            for r in 0 ..< chunk.count {
                let fields = chunk.fields(r)
                let special = fields.contains { $0.unicodeScalars.contains { [",", "\"", "\r", "\n"].contains($0) } }
                #expect(chunk.isPlain(r) == !special, "record \(r), block \(block)")
                #expect(String(decoding: chunk.bytes[chunk.recordRange(r)], as: UTF8.self) == fields.joined(separator: ","),
                        "record \(r), block \(block)")
            }
            #expect(chunk.fields(2) == ["q", "x", ""])
            #expect(chunk.isPlain(2), "a quoted field without specials needs no quotes on output")
            #expect(!chunk.isPlain(3) && !chunk.isPlain(4) && !chunk.isPlain(6) && !chunk.isPlain(7))
        }
    }

    /// The geocoder checks UTF-8 per row on its workers (``CSVReader/utf8Issue(_:_:)``) with the
    /// reader's own check off; both must name the same records, fields and offsets.
    @Test func rowUTF8CheckMatchesTheReader() throws {
        let path = try Self.file(Array("a,b\n".utf8) + [0x31, 0x2C, 0x61, 0xC3, 0x28, 0x0A] + Array("2,é\n".utf8)
                                 + [0xE4, 0xB8, 0x2C, 0xAD, 0x0A] + Array("3,张三\n".utf8) + [0x34, 0x2C, 0xED, 0xA0, 0x80, 0x0A])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let checked = try #require(try CSVReader(path: path).readChunk(maxRecords: 100))
        let reader = try CSVReader(path: path)
        reader.checksUTF8 = false
        let unchecked = try #require(try reader.readChunk(maxRecords: 100))
        #expect(checked.count == 6 && unchecked.count == 6)
        unchecked.withView { view in
            for r in 0 ..< unchecked.count {
                #expect(unchecked.issue(r) == nil)
                #expect(CSVReader.utf8Issue(view, r) == checked.issue(r), "record \(r)")
            }
        }
        #expect(checked.issue(2) == nil && checked.issue(3) == .invalidUTF8(column: 1, byte: 0))
        #expect(checked.issue(5) == .invalidUTF8(column: 2, byte: 0))
    }
}
