import Testing
@testable import TwinGeo

/// Cross-checks TwinGeo's writers against shapely (its own bundled GEOS, a different build from
/// the system libgeos): shapely must parse every WKB, WKT and GeoJSON text TwinGeo writes into
/// the same geometry, bit for bit as shown by the WKB it writes back, and TwinGeo must read
/// shapely's full-precision WKT back to an equal geometry.
@Suite struct WKBOracleTests {
    /// GEOS's GeoJSON reader has no spelling for an empty member point (`[]` position), which
    /// TwinGeo writes for `MULTIPOINT (EMPTY, …)`; that one case is expected to be refused there.
    static let geoJSONUnsupportedByGEOS: Set<String> = ["multipoint with empty member"]

    @Test func shapelyReadsWhatTwinGeoWrites() throws {
        var lines: [String] = []
        var expectedWKB: [String: String] = [:]
        for (i, (name, g)) in WKTSamples.all.enumerated() {
            let le = try g.wkb()
            expectedWKB["\(i)"] = le.map { String(format2: $0) }.joined()
            lines.append("\(i)-le\twkb\t\(le.map { String(format2: $0) }.joined())")
            lines.append("\(i)-be\twkb\t\(try g.wkb(byteOrder: .bigEndian).map { String(format2: $0) }.joined())")
            lines.append("\(i)-wkt\twkt\t\(try g.wkt)")
            if !Self.geoJSONUnsupportedByGEOS.contains(name) { lines.append("\(i)-json\tgeojson\t\(try g.geoJSON)") }
        }
        let output = try Oracle.run("wkb_oracle.py", input: lines.joined(separator: "\n") + "\n")
        let rows = output.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(rows.count == lines.count)
        for row in rows {
            let fields = row.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 3, "bad oracle row \(row)")
            let id = fields[0]
            let index = String(id.prefix { $0 != "-" })
            let (name, g) = WKTSamples.all[Int(index)!]
            #expect(fields[1] != "ERROR", "\(name) [\(id)]: shapely refused it: \(fields[2])")
            guard fields[1] != "ERROR" else { continue }
            // shapely's little-endian ISO WKB of what it parsed equals ours, byte for byte…
            // except that shapely's WKT writer drops the sign of -0, so the WKT case compares values.
            if id.hasSuffix("-wkt") {
                #expect(try Geometry(wkt: fields[2]) == g, "\(name): shapely wrote \(fields[2])")
            } else {
                #expect(fields[1] == expectedWKB[index], "\(name) [\(id)]")
                #expect(WKTSamples.identical(try Geometry(wkb: hexBytes(fields[1])), g), "\(name) [\(id)]")
            }
            // …and TwinGeo reads shapely's full-precision WKT back to the same value.
            #expect(try Geometry(wkt: fields[2]) == g, "\(name) [\(id)]: \(fields[2])")
        }
    }

    func hexBytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex, let j = s.index(i, offsetBy: 2, limitedBy: s.endIndex) {
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}

private extension String {
    /// Two uppercase hexadecimal digits.
    init(format2 byte: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
