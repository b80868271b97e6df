import Foundation
import Testing
@testable import TwinGeo

/// The streaming reader on files: everything written comes back, errors name the feature and
/// byte, and the bytes held stay near the chunk size however big the file is.
@Suite struct GeoJSONStreamingTests {
    /// A fresh path in the temporary directory, removed by the caller.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("twingeo-io-\(UUID().uuidString)-\(name)").path
    }

    /// Feature `i` of a synthetic grid: a square cell (every third one with a hole) near Putuo.
    static func cell(_ i: Int) -> GeoJSONFeature {
        let x = 121.35 + Double(i % 200) * 0.0007
        let y = 31.22 + Double(i / 200) * 0.0005
        let d = 0.0007
        let exterior = [Coordinate(x, y), Coordinate(x + d, y), Coordinate(x + d, y + d * 0.7), Coordinate(x, y + d * 0.7), Coordinate(x, y)]
        var holes: [[Coordinate]] = []
        if i % 3 == 0 {
            let h = d / 4
            holes = [[Coordinate(x + h, y + h), Coordinate(x + h, y + 2 * h), Coordinate(x + 2 * h, y + 2 * h), Coordinate(x + h, y + h)]]
        }
        let code = String(310107001001000 + i)
        return GeoJSONFeature(id: .number(JSONNumber(i)), geometry: .polygon(Polygon(exterior: exterior, holes: holes)),
                              properties: ["code": .string(code), "name": .string("网格\(i)"), "area": .number(JSONNumber(Double(i) * 0.5 + 0.125)!),
                                           "dept": i % 2 == 0 ? .string("住建") : .null])
    }

    @Test func streamsTwentyThousandFeaturesInBoundedMemory() throws {
        let path = Self.temporaryPath("grid.geojson")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = 20_000
        let writer = try GeoJSONWriter(path: path, crs: .epsg(4549), collectionBBox: .computed)
        var box = BoundingBox.empty
        for i in 0..<count {
            let f = Self.cell(i)
            box = box.union(f.geometry!.boundingBox!)
            try writer.write(f)
        }
        try writer.finish()
        #expect(writer.featureCount == count)
        let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(fileSize > 4_000_000, "the file should be multi-MB, is \(fileSize) bytes")

        let chunk = 4096
        let reader = try GeoJSONFeatureReader(path: path, options: GeoJSONReadOptions(), chunkSize: chunk)
        #expect(reader.documentType == .featureCollection)
        #expect(reader.crs == .epsg(4549))
        #expect(reader.bbox == box) // written after the features, known before the first one is read
        var index = 0
        var mismatches = 0
        while let f = try reader.next() {
            if f != Self.cell(index) { mismatches += 1 }
            index += 1
        }
        #expect(index == count)
        #expect(mismatches == 0)
        #expect(reader.featuresRead == count)
        // Streaming: the bytes held at once stay at the chunk plus one token, not the file.
        #expect(reader.maxBufferedBytes < 2 * chunk, "held \(reader.maxBufferedBytes) bytes")
        #expect(reader.maxBufferedBytes * 500 < fileSize, "held \(reader.maxBufferedBytes) of \(fileSize) bytes")
    }

    /// A hand-written collection of `count` point features; returns the text and each feature's byte offset.
    static func pointCollection(count: Int, replacing target: Int, with replacement: String) -> (String, [Int]) {
        var text = #"{"type":"FeatureCollection","features":["# + "\n"
        var offsets: [Int] = []
        for i in 0..<count {
            if i > 0 { text += ",\n" }
            offsets.append(text.utf8.count)
            text += i == target ? replacement : #"{"type":"Feature","id":\#(i),"geometry":{"type":"Point","coordinates":[\#(i),\#(-i)]},"properties":{}}"#
        }
        text += "\n]}\n"
        return (text, offsets)
    }

    @Test func syntaxErrorDeepInTheFileIsReportedBeforeAnyFeature() throws {
        let bad = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,2]},"properties":{}}"#
        let (text, offsets) = Self.pointCollection(count: 3000, replacing: 2345, with: bad)
        let path = Self.temporaryPath("bad-number.geojson")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let e = expectIOFormatError { _ = try GeoJSONFeatureReader(path: path, options: GeoJSONReadOptions(), chunkSize: 64) }
        let numberOffset = offsets[2345] + bad.utf8.count - #"1e400,2]},"properties":{}}"#.utf8.count
        #expect(e?.location == SourceLocation(file: path, byteOffset: numberOffset, feature: 2345))
        #expect(e?.description.contains("\(path), feature 2345, byte \(numberOffset): JSON: number 1e400 is out of range") == true, "\(String(describing: e))")
    }

    @Test func structuralErrorNamesFeatureAndOffsetAndStopsTheReader() throws {
        let bad = #"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]},"properties":{}}"#
        let (text, offsets) = Self.pointCollection(count: 3000, replacing: 1234, with: bad)
        let path = Self.temporaryPath("bad-ring.geojson")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try GeoJSONFeatureReader(path: path, options: GeoJSONReadOptions(), chunkSize: 100)
        for i in 0..<1234 { #expect(try reader.next()?.geometry == .point(Point(Double(i), Double(-i)))) }
        let e = expectIOFormatError { _ = try reader.next() }
        // The offset is that of the offending ring itself.
        let ringOffset = offsets[1234] + bad.utf8.distance(from: bad.utf8.startIndex, to: bad.range(of: "[[[0,0]")!.lowerBound.samePosition(in: bad.utf8)!) + 1
        #expect(e?.location == SourceLocation(file: path, byteOffset: ringOffset, feature: 1234, field: "geometry.coordinates[0]"))
        #expect(e?.message.contains("polygon ring is not closed") == true)
        #expect(try reader.next() == nil) // finished after an error
    }

    @Test func tokensSplitAcrossChunkBoundariesReadTheSame() throws {
        let long = String(repeating: "长街短巷😀\\u00e9\\ud83d\\ude00\\\"", count: 40)
        var features: [String] = []
        for i in 0..<40 {
            features.append(#"{"type":"Feature","id":"\#(i)-\#(long)","bbox":[-1.5e-7,2,3.25,4],"geometry":{"type":"MultiPolygon","coordinates":[[[[0.1,0.2],[1.30000000000000004,0],[1,1],[0.1,0.2]]],[]]},"properties":{"n":\#(i)e-3,"s":"\#(long)","a":[true,false,null,{"x":-0.0}]}}"#)
        }
        let text = "\u{FEFF}" + #"{"features":[ "# + features.joined(separator: " ,\n\t") + #" ],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"type":"FeatureCollection"}"#
        let expected = try GeoJSONFeatureReader(bytes: Array(text.utf8)).readAll()
        #expect(expected.count == 40)
        #expect(expected[3].properties["s"]?.stringValue?.hasPrefix("长街短巷😀é😀\"") == true)
        let path = Self.temporaryPath("chunks.geojson")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        for chunk in [16, 17, 31, 64, 333, 1 << 16] {
            let reader = try GeoJSONFeatureReader(path: path, options: GeoJSONReadOptions(), chunkSize: chunk)
            #expect(reader.crs == .epsg(4549))
            #expect(try reader.readAll() == expected, "chunk \(chunk)")
        }
    }

    @Test func missingFileIsAnIOError() {
        let path = Self.temporaryPath("missing.geojson")
        #expect(throws: IOFileError.self) { _ = try GeoJSONFeatureReader(path: path) }
        #expect(throws: IOFileError.self) { _ = try GeoJSONWriter(path: "/nonexistent-dir/x.geojson") }
    }
}
