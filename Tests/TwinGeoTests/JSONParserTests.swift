import Testing
@testable import TwinGeo

private func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws -> JSONValue {
    var parser = JSONStrictParser(bytes: bytes, name: "t.json", maxDepth: maxDepth)
    try parser.skipByteOrderMark()
    let value = try parser.parseValue()
    try parser.expectEnd()
    return value
}

private func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let v = try parse(#" { "a" : [1, -0, 2.5e-3, true, false, null], "b": {"c": "d"}, "": [] } "#)
        guard case .object(let o) = v else { Issue.record("not an object"); return }
        #expect(o.keys == ["a", "b", ""])
        #expect(o["a"] == .array([.number(JSONNumber(1)), .number(JSONNumber(text: "-0")!), .number(JSONNumber(text: "2.5e-3")!),
                                  .bool(true), .bool(false), .null]))
        #expect(o["b"]?.objectValue?["c"] == .string("d"))
        #expect(v.jsonText == #"{"a":[1,-0,2.5e-3,true,false,null],"b":{"c":"d"},"":[]}"#)
    }

    @Test func keepsNumberTextSoIntegersSurvive() throws {
        let v = try parse("[310112001001001, 12345678901234567890, 1.0, 1E+2]")
        #expect(v.arrayValue?.map { if case .number(let n) = $0 { n.text } else { "" } }
            == ["310112001001001", "12345678901234567890", "1.0", "1E+2"])
        #expect(v.jsonText == "[310112001001001,12345678901234567890,1.0,1E+2]")
        #expect(v.arrayValue?[0].doubleValue == 310112001001001)
        #expect(JSONNumber(text: "310112001001001")?.intValue == 310112001001001)
        #expect(JSONNumber(text: "1.5")?.intValue == nil)
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(-0.0)?.text == "-0.0")
        #expect(JSONNumber(1e21)?.text == "1e+21")
    }

    @Test func decodesEscapesAndUTF8() throws {
        let v = try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4E2D", "\ud83d\ude00", "普陀区 😀"]"#)
        #expect(v == .array([.string("a\"b\\c/d\u{8}\u{c}\n\r\t"), .string("é中"), .string("😀"), .string("普陀区 😀")]))
        // Writing escapes control characters and round-trips.
        let s = JSONValue.string("x\u{1}\n\"\\é")
        #expect(s.jsonText == #""x\u0001\n\"\\é""#)
        #expect(try parse(s.jsonText) == s)
    }

    @Test func toleratesALeadingByteOrderMark() throws {
        #expect(try parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number(JSONNumber(1))]))
        let e = expectIOFormatError { _ = try parse(Array("[1,".utf8) + [0xEF, 0xBB, 0xBF] + Array("2]".utf8)) }
        #expect(e?.location?.byteOffset == 3)
    }

    @Test func publicParserRoundTripsText() throws {
        let text = #"{"code":310107001001,"name":"曹杨","tags":["a",null],"area":1.5e2}"#
        #expect(try JSONValue(jsonText: text).jsonText == text)
        #expect(throws: FormatError.self) { _ = try JSONValue(jsonText: "[1,]") }
        #expect(throws: FormatError.self) { _ = try JSONValue(jsonText: "[[1]]", maxDepth: 1) }
    }

    @Test func refusesDuplicateKeys() {
        let e = expectIOFormatError { _ = try parse(#"{"a": 1, "b": 2, "a": 3}"#) }
        #expect(e?.message.contains("duplicate key \"a\"") == true)
        #expect(e?.location?.byteOffset == 17)
        // Also past the linear-scan size.
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + ", \"k39\": 0"
        #expect(expectIOFormatError { _ = try parse("{\(many)}") }?.message.contains("duplicate key \"k39\"") == true)
    }
}

/// One test per malformed-input kind: each is a thrown FormatError naming the byte offset.
@Suite struct JSONErrorTests {
    func refuse(_ bytes: [UInt8], _ fragment: String, at offset: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = expectIOFormatError({ _ = try parse(bytes) }, sourceLocation: sourceLocation) else { return }
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.byteOffset == offset, "\(e)", sourceLocation: sourceLocation)
        #expect(e.description.hasPrefix("t.json, byte \(offset): JSON: "), "\(e)", sourceLocation: sourceLocation)
    }
    func refuse(_ text: String, _ fragment: String, at offset: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        refuse(Array(text.utf8), fragment, at: offset, sourceLocation: sourceLocation)
    }

    @Test func refusesNaNAndInfinity() {
        refuse("[NaN]", "NaN and Infinity are not valid JSON", at: 1)
        refuse("[1, Infinity]", "NaN and Infinity", at: 4)
        refuse("[-Infinity]", "invalid number \"-I…\"", at: 1)
        refuse("[0x1F]", "hexadecimal", at: 1)
    }

    @Test func refusesOutOfRangeNumbers() {
        refuse("[1, 1e400]", "number 1e400 is out of range", at: 4)
        refuse("[-1e309]", "out of range", at: 1)
    }

    @Test func refusesLeadingZerosAndOtherBadNumbers() {
        refuse("[01]", "leading zeros are not allowed", at: 1)
        refuse("[-007]", "leading zeros", at: 1)
        refuse("[1.]", "invalid number \"1.\"", at: 1)
        refuse("[.5]", "unexpected '.'", at: 1)
        refuse("[+1]", "unexpected '+'", at: 1)
        refuse("[1e]", "invalid number \"1e\"", at: 1)
        refuse("[1-2]", "invalid number \"1-2\"", at: 1)
    }

    @Test func refusesTrailingCommas() {
        refuse("[1, 2,]", "trailing comma before ']'", at: 6)
        refuse(#"{"a": 1, }"#, "trailing comma before '}'", at: 9)
        refuse("[,1]", "unexpected ','", at: 1)
    }

    @Test func refusesComments() {
        refuse("[1 /* two */]", "expected ',' or ']' in an array, found '/'", at: 3)
        refuse("// x\n[1]", "unexpected '/'", at: 0)
    }

    @Test func refusesInvalidUTF8() {
        refuse([0x22, 0xFF, 0x22], "invalid UTF-8 byte 0xFF", at: 1)
        refuse([0x22, 0x61, 0xC0, 0x80, 0x22], "invalid UTF-8 byte 0xC0", at: 2) // overlong NUL
        refuse([0x22, 0xE0, 0x80, 0x80, 0x22], "invalid UTF-8 sequence", at: 1) // overlong
        refuse([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 sequence", at: 1) // encoded surrogate
        refuse([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 sequence", at: 1) // > U+10FFFF
        refuse([0x22, 0x80, 0x22], "invalid UTF-8 byte 0x80", at: 1) // lone continuation
        refuse([0x22, 0xE4, 0xB8, 0x22], "invalid UTF-8 sequence", at: 1) // cut short
        refuse([0x5B, 0xE4, 0xB8, 0xAD, 0x5D], "unexpected byte 0xE4", at: 1) // outside a string
    }

    @Test func refusesLoneSurrogates() {
        refuse(#"["\ud800"]"#, "lone high surrogate \\uD800", at: 2)
        refuse(#"["\ud800x"]"#, "lone high surrogate", at: 2)
        refuse(#"["ab\uDC00"]"#, "lone low surrogate \\uDC00", at: 4)
        refuse(#"["\ud800\u0041"]"#, "is not followed by a low surrogate", at: 2)
        refuse(#"["\u12G4"]"#, "expected 4 hexadecimal digits", at: 2)
        refuse(#"["\x"]"#, "invalid escape \\x", at: 2)
    }

    @Test func refusesControlCharactersAndUnterminatedStrings() {
        refuse("[\"a\tb\"]", "control character byte 0x9", at: 3)
        refuse("[\"abc", "unterminated string (it starts at byte 1)", at: 5)
    }

    @Test func refusesDepthBombs() {
        refuse(String(repeating: "[", count: 100_000), "nesting deeper than 256", at: 256)
        refuse(String(repeating: "{\"a\":", count: 300) + "1" + String(repeating: "}", count: 300), "nesting deeper than 256", at: 256 * 5)
        #expect(throws: Never.self) { _ = try parse(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)) }
    }

    @Test func refusesTrailingGarbageAndBadLiterals() {
        refuse("[1] x", "unexpected 'x' after the end of the JSON document", at: 4)
        refuse("[1][2]", "after the end", at: 3)
        refuse("[tru]", "invalid literal: expected \"true\"", at: 1)
        refuse("[nul", "invalid literal", at: 1)
        refuse("", "unexpected end of input: expected a value", at: 0)
        refuse("[1", "unexpected end of input: expected ',' or ']'", at: 2)
        refuse(#"{"a" 1}"#, "expected ':' after an object key, found '1'", at: 5)
        refuse("{1: 2}", "expected a string key, found '1'", at: 1)
    }

    /// Truncations and byte flips of a valid document: a value or a FormatError, never a crash.
    @Test func fuzzedBytesNeverCrash() {
        let doc = Array(#"{"type":"Feature","id":"é\u00e9\ud83d\ude00","geometry":{"type":"Point","coordinates":[1.5e3,-0.25]},"properties":{"a":[true,false,null,{}]}}"#.utf8)
        var random = WKTSamples.Random(state: 99)
        for cut in 0..<doc.count { do { _ = try parse(Array(doc[..<cut])) } catch is FormatError {} catch { Issue.record("\(error)") } }
        for _ in 0..<3000 {
            var m = doc
            m[random.below(m.count)] = UInt8(truncatingIfNeeded: random.next())
            do { _ = try parse(m) } catch is FormatError {} catch { Issue.record("\(error)") }
        }
    }
}
