import Testing
@testable import TwinGeo

private func hex(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(s.filter { !$0.isWhitespace })
    while chars.count >= 2 {
        out.append(UInt8(String(chars[0..<2]), radix: 16)!)
        chars.removeFirst(2)
    }
    return out
}

private func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String($0, radix: 16, uppercase: true).count == 1 ? "0" + String($0, radix: 16, uppercase: true) : String($0, radix: 16, uppercase: true) }.joined()
}

@Suite struct WKBRoundTripTests {
    @Test(arguments: WKTSamples.names, [WKBByteOrder.littleEndian, .bigEndian])
    func roundTripsExactly(name: String, order: WKBByteOrder) throws {
        let g = WKTSamples.named(name)
        let bytes = try g.wkb(byteOrder: order)
        #expect(bytes.count == WKBWriter.size(of: g))
        #expect(bytes.first == order.rawValue)
        let back = try Geometry(wkb: bytes)
        #expect(WKTSamples.identical(back, g), "\(name)")
        #expect(try back.wkb(byteOrder: order) == bytes)
    }

    @Test func matchesKnownEncodings() throws {
        // POINT (1 2), as GEOS/PostGIS write it, in both byte orders.
        #expect(hexString(try Geometry.point(Point(1, 2)).wkb()) == "0101000000000000000000F03F0000000000000040")
        #expect(hexString(try Geometry.point(Point(1, 2)).wkb(byteOrder: .bigEndian)) == "00000000013FF00000000000004000000000000000")
        // POINT EMPTY is NaN NaN.
        #expect(hexString(try Geometry.point(.empty).wkb()) == "0101000000000000000000F87F000000000000F87F")
        // LINESTRING EMPTY, GEOMETRYCOLLECTION EMPTY: a zero count.
        #expect(hexString(try Geometry.lineString(.empty).wkb()) == "010200000000000000")
        #expect(hexString(try Geometry.geometryCollection(GeometryCollection([])).wkb(byteOrder: .bigEndian)) == "000000000700000000")
    }

    @Test func readsMixedByteOrdersAndAnyEmptyPointNaN() throws {
        // A little-endian multipoint whose second member is big-endian.
        let bytes = hex("0104000000 02000000 0101000000 000000000000F03F 0000000000000040 00 00000001 4008000000000000 4010000000000000")
        #expect(try Geometry(wkb: bytes) == .multiPoint(MultiPoint([Point(1, 2), Point(3, 4)])))
        // Any NaN payload in both ordinates is the empty point.
        #expect(try Geometry(wkb: hex("0101000000 010000000000F87F FFFFFFFFFFFFFFFF")) == .point(.empty))
        // An ArraySlice works too (GeoPackage blobs carry a header before the WKB).
        let padded = [0xAA, 0xBB] + (try Geometry.point(Point(7, 8)).wkb())
        #expect(try Geometry(wkb: padded[2...]) == .point(Point(7, 8)))
    }

    @Test func dropsZMOnlyWhenAsked() throws {
        let drop = WKBReader.Options(dropZM: true)
        // ISO POINT Z (1 2 3), POINT M, POINT ZM.
        let z = hex("01E9030000 000000000000F03F 0000000000000040 0000000000000840")
        let m = hex("01D1070000 000000000000F03F 0000000000000040 0000000000000840")
        let zm = hex("01B90B0000 000000000000F03F 0000000000000040 0000000000000840 0000000000001040")
        // EWKB POINT Z with SRID 4326 (flags 0xA0000000, big-endian).
        let ewkb = hex("00A0000001 000010E6 3FF0000000000000 4000000000000000 4008000000000000")
        for bytes in [z, m, zm, ewkb] {
            #expect(try Geometry(wkb: bytes, options: drop) == .point(Point(1, 2)))
        }
        #expect(try WKBReader(options: drop).readWithSRID(ewkb).srid == 4326)
        // ISO LINESTRING Z with two positions.
        let line = hex("01EA030000 02000000" + "000000000000F03F 0000000000000040 0000000000000840" + "0000000000000840 0000000000001040 0000000000001440")
        #expect(try Geometry(wkb: line, options: drop) == .lineString(LineString([Coordinate(1, 2), Coordinate(3, 4)])))
    }

    @Test func readsEWKBSRIDWithoutZ() throws {
        let bytes = hex("0101000020 E6100000 000000000000F03F 0000000000000040")
        let (g, srid) = try WKBReader().readWithSRID(bytes)
        #expect(g == .point(Point(1, 2)))
        #expect(srid == 4326)
        #expect(try WKBReader().readWithSRID(try g.wkb()).srid == nil)
    }
}

@Suite struct WKBErrorTests {
    func refuse(_ bytes: [UInt8], _ fragment: String, at offset: Int, options: WKBReader.Options = .init(),
                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let e = expectIOFormatError({ _ = try Geometry(wkb: bytes, options: options) }, sourceLocation: sourceLocation) else { return }
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.byteOffset == offset, "\(e)", sourceLocation: sourceLocation)
        #expect(e.description.contains("byte \(offset)"), "\(e)", sourceLocation: sourceLocation)
    }

    @Test func refusesTruncatedInputAtEveryLength() throws {
        for (name, g) in WKTSamples.all {
            let bytes = try g.wkb()
            for cut in 0..<bytes.count {
                guard let e = expectIOFormatError({ _ = try Geometry(wkb: bytes[..<cut]) }) else { continue }
                #expect(e.location?.byteOffset != nil && e.location!.byteOffset! <= cut, "\(name) cut at \(cut): \(e)")
            }
        }
        refuse(hex("0101000000 000000000000F03F 00000000"), "truncated: expected an 8-byte coordinate, 4 bytes remain", at: 13)
        refuse([], "truncated: expected a byte-order byte", at: 0)
    }

    @Test func refusesUnknownTypeCodes() {
        refuse(hex("0108000000"), "unknown geometry type code 8", at: 1)
        refuse(hex("0100000000"), "unknown geometry type code 0", at: 1)
        refuse(hex("01A10F0000"), "unknown geometry type code 4001", at: 1)
        refuse(hex("0101000010"), "unknown geometry type code", at: 1)
        refuse(hex("00000003F0"), "unknown geometry type code 1008", at: 1)
        refuse(hex("0101000000 0000"), "truncated", at: 5)
    }

    @Test func refusesBadByteOrder() {
        refuse(hex("0201000000"), "bad byte-order byte 2", at: 0)
        refuse(hex("0104000000 01000000 FF01000000" + String(repeating: "00", count: 16)), "bad byte-order byte 255", at: 9)
    }

    @Test func refusesCountsBeyondTheInputBeforeAllocating() {
        refuse(hex("0102000000 FFFFFFFF"), "count of 4294967295 positions needs at least", at: 5)
        refuse(hex("0103000000 FFFFFF7F 00000000"), "count of 2147483647 rings", at: 5)
        refuse(hex("0107000000 FFFFFFFF"), "count of 4294967295 members", at: 5)
        refuse(hex("0102000000 02000000 000000000000F03F 0000000000000040"), "count of 2 positions needs at least 32 bytes but only 16 remain", at: 5)
    }

    @Test func refusesNaNOtherThanTheEmptyPoint() {
        refuse(hex("0101000000 000000000000F87F 0000000000000040"), "not finite", at: 5)
        refuse(hex("0101000000 000000000000F07F 0000000000000040"), "not finite", at: 5)
        refuse(hex("0102000000 02000000 000000000000F87F 000000000000F87F 000000000000F03F 0000000000000040"), "not finite", at: 9)
    }

    @Test func refusesTrailingBytes() throws {
        refuse(try Geometry.point(Point(1, 2)).wkb() + [0], "1 trailing bytes", at: 21)
    }

    @Test func refusesZWithoutDropZM() {
        refuse(hex("01E9030000 000000000000F03F 0000000000000040 0000000000000840"), "has Z (elevation) coordinates (type code 1001)", at: 1)
        refuse(hex("0101000080 000000000000F03F 0000000000000040 0000000000000840"), "dropZM", at: 1)
        refuse(hex("01D1070000"), "M (measure)", at: 1)
        refuse(hex("01B90B0000"), "Z and M", at: 1)
    }

    @Test func refusesBadStructure() {
        // Unclosed ring, ring too short, line string of one position, wrong member type.
        refuse(hex("0103000000 01000000 04000000" + "0000000000000000 0000000000000000" + "000000000000F03F 0000000000000000"
                   + "000000000000F03F 000000000000F03F" + "0000000000000000 000000000000F03F"), "not closed", at: 9)
        refuse(hex("0103000000 01000000 00000000"), "at least 4 positions, found 0", at: 9)
        refuse(hex("0102000000 01000000 000000000000F03F 0000000000000040"), "found 1", at: 5)
        refuse(hex("0104000000 01000000 010200000000000000"), "a MultiPoint member must be a Point, found a LineString", at: 9)
    }

    @Test func refusesNestingDeeperThan32() throws {
        #expect(throws: Never.self) { _ = try Geometry(wkb: try WKTSamples.nested(32).wkb()) }
        // 40 nested collections, written by hand (the writer refuses to produce it).
        var bytes: [UInt8] = []
        for _ in 0..<40 { bytes += hex("0107000000 01000000") }
        bytes += try Geometry.point(Point(1, 2)).wkb()
        refuse(bytes, "nested deeper than 32", at: 33 * 9)
        // A million-deep bomb is refused at the same place, without deep recursion.
        refuse(Array(repeating: hex("0107000000 01000000"), count: 100_000).flatMap { $0 }, "nested deeper than 32", at: 33 * 9)
    }

    /// Random byte flips in valid WKB: every outcome is a value or a FormatError.
    @Test func fuzzedBytesNeverCrash() throws {
        var random = WKTSamples.Random(state: 7)
        for (_, g) in WKTSamples.all {
            let bytes = try g.wkb(byteOrder: random.below(2) == 0 ? .littleEndian : .bigEndian)
            for _ in 0..<200 {
                var mutated = bytes
                for _ in 0..<1 + random.below(3) {
                    mutated[random.below(mutated.count)] = UInt8(truncatingIfNeeded: random.next())
                }
                do { _ = try Geometry(wkb: mutated) } catch is FormatError {}
            }
        }
    }
}
