import Testing
@testable import TwinGeo

@Suite struct WKTRoundTripTests {
    @Test(arguments: WKTSamples.names)
    func roundTripsExactly(name: String) throws {
        let g = WKTSamples.named(name)
        let text = try g.wkt
        let back = try Geometry(wkt: text)
        #expect(WKTSamples.identical(back, g), "\(name): \(text)")
        #expect(try back.wkt == text)
    }

    @Test func writesCanonicalText() throws {
        #expect(try Geometry.point(Point(1, 2)).wkt == "POINT (1 2)")
        #expect(try Geometry.point(.empty).wkt == "POINT EMPTY")
        #expect(try Geometry.point(Point(-0.0, 1e20)).wkt == "POINT (-0 1e+20)")
        #expect(try WKTSamples.named("multipoint with empty member").wkt == "MULTIPOINT (EMPTY, (1 2))")
        #expect(try WKTSamples.named("multilinestring").wkt == "MULTILINESTRING ((0 0, 1 1), EMPTY)")
        #expect(try WKTSamples.named("multipolygon with empty member").wkt
            == "MULTIPOLYGON (EMPTY, ((0 0, 10 0, 10 10, 0 10, 0 0)))")
        #expect(try WKTSamples.named("collection empty").wkt == "GEOMETRYCOLLECTION EMPTY")
        #expect(try Geometry.polygon(WKTSamples.polygonWithHoles).wkt
            == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2), (6 6, 6 8, 8 8, 6 6))")
    }

    @Test func readsBothMultiPointFormsAndAnyCase() throws {
        let expected = Geometry.multiPoint(MultiPoint([Point(1, 2), Point(3, 4)]))
        #expect(try Geometry(wkt: "MULTIPOINT (1 2, 3 4)") == expected)
        #expect(try Geometry(wkt: "MULTIPOINT ((1 2), (3 4))") == expected)
        #expect(try Geometry(wkt: "multipoint((1 2),3 4)") == expected)
        #expect(try Geometry(wkt: "  MultiPoint\n(\t1   2 ,3 4 )  ") == expected)
        #expect(try Geometry(wkt: "MULTIPOINT (EMPTY, (1 2))") == WKTSamples.named("multipoint with empty member"))
        #expect(try Geometry(wkt: "point empty") == .point(.empty))
        #expect(try Geometry(wkt: "GeometryCollection (Point Empty, LINESTRING EMPTY)")
            == .geometryCollection(GeometryCollection([.point(.empty), .lineString(.empty)])))
    }

    @Test func readsNumberSpellings() throws {
        #expect(try Geometry(wkt: "POINT (+1.5 -.5)") == .point(Point(1.5, -0.5)))
        #expect(try Geometry(wkt: "POINT (5. 1E3)") == .point(Point(5, 1000)))
        #expect(try Geometry(wkt: "POINT (1e-400 0.1)") == .point(Point(0, 0.1))) // underflow rounds to 0
        #expect(try Geometry(wkt: "POINT (0.30000000000000004 123456789012345678901234567890)")
            == .point(Point(0.30000000000000004, 123456789012345678901234567890.0)))
        // Slow path (> 2^53 mantissa / big exponent) must agree with the standard library.
        for text in ["9007199254740993", "2.2250738585072011e-308", "1.7976931348623157e308", "4.9e-324", "123.456e-30"] {
            let g = try Geometry(wkt: "POINT (\(text) 0)")
            #expect(g == .point(Point(Double(text)!, 0)), "\(text)")
        }
    }

    @Test func dropsZMOnlyWhenAsked() throws {
        let options = WKTReader.Options(dropZM: true)
        for text in ["POINT Z (1 2 3)", "POINTZ (1 2 3)", "POINT M (1 2 3)", "POINT ZM (1 2 3 4)", "POINT (1 2 3)", "POINT (1 2 3 4)"] {
            #expect(try Geometry(wkt: text, options: options) == .point(Point(1, 2)), "\(text)")
        }
        #expect(try Geometry(wkt: "POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))", options: options)
            == .polygon(Polygon(exterior: WKTSamples.ring([(0, 0), (1, 0), (1, 1), (0, 0)]))))
        #expect(try Geometry(wkt: "GEOMETRYCOLLECTION (POINT Z (1 2 3), POINT (4 5))", options: options)
            == .geometryCollection(GeometryCollection([.point(Point(1, 2)), .point(Point(4, 5))])))
    }
}

@Suite struct WKTErrorTests {
    /// Asserts `text` is refused with a message containing `fragment` at `column`.
    func refuse(_ text: String, _ fragment: String, column: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = expectIOFormatError({ _ = try Geometry(wkt: text) }, sourceLocation: sourceLocation) else { return }
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.column == column, "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.byteOffset != nil, sourceLocation: sourceLocation)
        #expect(e.description.contains("line 1:\(column)"), "\(e)", sourceLocation: sourceLocation)
    }

    @Test func refusesZAndMWithTheOption() {
        refuse("POINT Z (1 2 3)", "has Z (elevation) coordinates", column: 1)
        refuse("POINT Z (1 2 3)", "dropZM", column: 1)
        refuse("LINESTRING M (1 2 3, 4 5 6)", "has M (measure)", column: 1)
        refuse("POINT ZM (1 2 3 4)", "Z and M", column: 1)
        refuse("POINT (1 2 3)", "has Z (elevation)", column: 8)
        refuse("LINESTRING (1 2, 3 4 5)", "has 3 numbers but earlier positions have 2", column: 18)
    }

    @Test func refusesNonDecimalNumbers() {
        refuse("POINT (nan 1)", "expected a decimal number, found \"nan\"", column: 8)
        refuse("POINT (1 inf)", "found \"inf\"", column: 10)
        refuse("POINT (0x10 1)", "found \"0x10\"", column: 8)
        refuse("POINT (1e400 1)", "out of range", column: 8)
        refuse("POINT (-1e400 1)", "out of range", column: 8)
        refuse("POINT (1.2.3 1)", "found \"1.2.3\"", column: 8)
        refuse("POINT (1e 2)", "found \"1e\"", column: 8)
        refuse("POINT (- 2)", "found \"-\"", column: 8)
        refuse("POINT (1,5 2)", "at least 2 numbers, found 1", column: 8)
    }

    @Test func refusesBadStructure() {
        refuse("POLYGON ((0 0, 1 0, 1 1, 0 1))", "not closed", column: 10)
        refuse("POLYGON ((0 0, 1 0, 0 0))", "at least 4 positions, found 3", column: 10)
        refuse("POLYGON ((0 0, 1 0, 1 1, 0 0), EMPTY)", "ring cannot be EMPTY", column: 32)
        refuse("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 6)))", "not closed", column: 40)
        refuse("LINESTRING (1 2)", "found 1", column: 12)
        refuse("POINT (1 2", "expected ')' but the text ended", column: 11)
        refuse("POINT (1 2) x", "unexpected text after the geometry", column: 13)
        refuse("POINT (1 2))", "unexpected text", column: 12)
        refuse("CIRCLE (1 2)", "unknown geometry type \"CIRCLE\"", column: 1)
        refuse("", "expected a geometry type", column: 1)
        refuse("POINT ()", "expected a position", column: 8)
        refuse("MULTIPOINT (1 2,)", "expected a position", column: 17)
    }

    @Test func errorNamesLineColumnAndExcerpt() {
        guard let e = expectIOFormatError({ _ = try Geometry(wkt: "POLYGON (\n  (0 0, 1 0, 1 1, 0 0),\n  (0 0, 1 nan, 1 1, 0 0))") }) else { return }
        #expect(e.location?.line == 3)
        #expect(e.location?.column == 11)
        #expect(e.message.contains("at \"nan, 1 1, 0 0))\""), "\(e)")
        // Columns count characters, not bytes.
        guard let u = expectIOFormatError({ _ = try Geometry(wkt: "点 POINT") }) else { return }
        #expect(u.location?.column == 1)
        #expect(u.location?.byteOffset == 0)
    }

    @Test func refusesDeepNestingWithoutRecursingForever() {
        let deep = String(repeating: "GEOMETRYCOLLECTION (", count: 10_000) + "POINT (1 2)" + String(repeating: ")", count: 10_000)
        guard let e = expectIOFormatError({ _ = try Geometry(wkt: deep) }) else { return }
        #expect(e.message.contains("nested deeper than 32"))
        // 32 levels are fine.
        #expect(throws: Never.self) { _ = try Geometry(wkt: try WKTSamples.nested(32).wkt) }
    }

    @Test func writerRefusesWhatReadersRefuse() {
        #expect(throws: GeometryError.self) { _ = try Geometry.point(Point(.nan, 1)).wkt }
        #expect(throws: GeometryError.self) { _ = try Geometry.point(Point(.infinity, 1)).wkt }
        #expect(throws: GeometryError.self) { _ = try Geometry.lineString(LineString([Coordinate(1, 2)])).wkt }
        #expect(throws: GeometryError.self) {
            _ = try Geometry.polygon(Polygon(exterior: WKTSamples.ring([(0, 0), (1, 0), (1, 1), (0, 1)]))).wkt
        }
        #expect(throws: GeometryError.self) { _ = try WKTSamples.nested(33).wkt }
    }

    /// Truncations and byte flips of valid text: every outcome is a value or a FormatError.
    @Test func fuzzedTextNeverCrashes() throws {
        var random = WKTSamples.Random(state: 42)
        let alphabet = Array("()., -+eE0123456789ZMEMPTYnaPOINT\n".utf8)
        for (_, g) in WKTSamples.all {
            let bytes = Array(try g.wkt.utf8)
            for cut in 0..<bytes.count {
                do { _ = try Geometry(wkt: String(decoding: bytes[..<cut], as: UTF8.self)) } catch is FormatError {}
            }
            for _ in 0..<60 {
                var mutated = bytes
                mutated[random.below(mutated.count)] = alphabet[random.below(alphabet.count)]
                do { _ = try Geometry(wkt: String(decoding: mutated, as: UTF8.self)) } catch is FormatError {}
            }
        }
    }
}

/// The decimal conversion shared by the WKT and JSON readers agrees with the standard
/// library's correctly rounded parser on every path (fast, 128-bit, fallback).
@Suite struct WKTDecimalTests {
    @Test func agreesWithTheStandardLibraryOnRandomDecimals() {
        var random = WKTSamples.Random(state: 2026)
        var mismatches: [String] = []
        for _ in 0..<30_000 {
            let digitCount = 1 + random.below(22)
            var digits = String((0..<digitCount).map { _ in Character(String(random.below(10))) })
            if random.below(3) > 0 { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: random.below(digitCount + 1))) }
            if digits.hasPrefix(".") { digits = "0" + digits }
            if digits.hasSuffix(".") { digits += "0" }
            var text = (random.below(2) == 0 ? "-" : "") + digits
            if random.below(2) == 0 { text += "e\(random.below(60) - 30)" }
            let ours = IODecimal.value(of: Array(text.utf8))
            let reference = Double(text)!
            if ours.bitPattern != reference.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    @Test func roundsHalfwayCasesToEven() {
        // 2^53 + 1 and 2^53 + 3 are exactly halfway between doubles.
        for text in ["9007199254740993", "9007199254740995", "9007199254740993.000000000001", "121.35070000000001",
                     "0.30000000000000004", "1.7976931348623157e308", "2.2250738585072011e-308", "4.9406564584124654e-324",
                     "18446744073709551615", "1844674407370955161e-19", "9999999999999999999e19", "1e23", "8.98846567431158e307"] {
            #expect(IODecimal.value(of: Array(text.utf8)).bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }
}
