import Testing
@testable import TwinGeo

private func reader(_ text: String, options: GeoJSONReadOptions = .init()) throws -> GeoJSONFeatureReader {
    try GeoJSONFeatureReader(bytes: Array(text.utf8), name: "grid.geojson", options: options)
}

/// A FeatureCollection whose features are `features` (JSON texts), with extra top-level members.
private func collection(_ features: [String], before: String = "", after: String = "") -> String {
    #"{"type":"FeatureCollection",\#(before)"features":[\#(features.joined(separator: ","))]\#(after)}"#
}

private func feature(_ geometry: String, properties: String = "{}") -> String {
    #"{"type":"Feature","geometry":\#(geometry),"properties":\#(properties)}"#
}

@Suite struct GeoJSONGeometryTests {
    @Test(arguments: WKTSamples.names)
    func geometryRoundTripsExactly(name: String) throws {
        let g = WKTSamples.named(name)
        let text = try g.geoJSON
        let back = try Geometry(geoJSON: text)
        #expect(WKTSamples.identical(back, g), "\(name): \(text)")
    }

    @Test func writesRFC7946Text() throws {
        #expect(try Geometry.point(Point(121.5, 31.25)).geoJSON == #"{"type":"Point","coordinates":[121.5,31.25]}"#)
        #expect(try Geometry.point(.empty).geoJSON == #"{"type":"Point","coordinates":[]}"#)
        #expect(try WKTSamples.named("multipoint with empty member").geoJSON == #"{"type":"MultiPoint","coordinates":[[],[1,2]]}"#)
        #expect(try Geometry.geometryCollection(GeometryCollection([])).geoJSON == #"{"type":"GeometryCollection","geometries":[]}"#)
        #expect(try Geometry.polygon(Polygon(exterior: WKTSamples.ring([(0, 0), (1, 0), (1, 1), (0, 0)]))).geoJSON
            == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#)
        #expect(throws: GeometryError.self) { _ = try Geometry.point(Point(.nan, 0)).geoJSON }
    }

    @Test func readsEmptyGeometries() throws {
        #expect(try Geometry(geoJSON: #"{"type":"Point","coordinates":[]}"#) == .point(.empty))
        #expect(try Geometry(geoJSON: #"{"type":"LineString","coordinates":[]}"#) == .lineString(.empty))
        #expect(try Geometry(geoJSON: #"{"type":"Polygon","coordinates":[]}"#) == .polygon(.empty))
        #expect(try Geometry(geoJSON: #"{"type":"MultiPolygon","coordinates":[[]]}"#) == .multiPolygon(MultiPolygon([.empty])))
        #expect(try Geometry(geoJSON: #"{"coordinates":[], "type":"MultiPoint"}"#) == .multiPoint(MultiPoint([])))
    }

    @Test func bareDocumentErrorsNameTheByte() {
        let e = expectIOFormatError { _ = try Geometry(geoJSON: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#) }
        #expect(e?.location?.byteOffset == 33) // the ring's `[`
        #expect(e?.location?.field == "coordinates[0]")
        let f = expectIOFormatError {
            _ = try reader(#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,"x"]]}}"#).readAll()
        }
        #expect(f?.location?.byteOffset == 90) // the "x"
        #expect(f?.location?.field == "geometry.coordinates[1][1]")
        #expect(f?.message.contains("a position must hold numbers, found string") == true)
    }

    @Test func dropsAltitudeOnlyWhenAsked() throws {
        let text = #"{"type":"LineString","coordinates":[[1,2,3],[4,5,6]]}"#
        let e = expectIOFormatError { _ = try Geometry(geoJSON: text) }
        #expect(e?.message.contains("3 numbers (altitude)") == true && e?.message.contains("dropZM") == true)
        #expect(e?.location?.field == "coordinates[0]")
        #expect(try Geometry(geoJSON: text, options: GeoJSONReadOptions(dropZM: true))
            == .lineString(LineString([Coordinate(1, 2), Coordinate(4, 5)])))
    }
}

@Suite struct GeoJSONFeatureTests {
    @Test func readsFeaturesWithIdsPropertiesAndNullGeometry() throws {
        let r = try reader(collection([
            #"{"type":"Feature","id":"310107","bbox":[0,0,10,10],"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]},"properties":{"code":"310107001001","name":"曹杨新村","area":1.25,"z":null}}"#,
            #"{"type":"Feature","id":42,"geometry":null,"properties":null}"#,
        ]))
        #expect(r.documentType == .featureCollection)
        #expect(r.crs == nil)
        let a = try #require(try r.next())
        #expect(a.id == .string("310107"))
        #expect(a.bbox == BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10))
        #expect(a.geometry == .polygon(Polygon(exterior: WKTSamples.square, holes: [WKTSamples.hole])))
        #expect(Array(a.properties.keys) == ["code", "name", "area", "z"])
        #expect(a.properties["name"] == .string("曹杨新村"))
        let b = try #require(try r.next())
        #expect(b.id == .number(JSONNumber(42)))
        #expect(b.geometry == nil)
        #expect(b.properties.isEmpty)
        #expect(try r.next() == nil)
        #expect(try r.next() == nil)
        #expect(r.featuresRead == 2)
    }

    @Test func acceptsABareFeatureOrGeometry() throws {
        let f = try reader(feature(#"{"type":"Point","coordinates":[1,2]}"#, properties: #"{"a":1}"#))
        #expect(f.documentType == .feature)
        #expect(try f.readAll() == [GeoJSONFeature(geometry: .point(Point(1, 2)), properties: ["a": .number(JSONNumber(1))])])
        let g = try reader(#"{"type":"MultiPoint","coordinates":[[1,2]],"crs":{"type":"name","properties":{"name":"EPSG:4549"}}}"#)
        #expect(g.documentType == .geometry)
        #expect(g.crs == .epsg(4549))
        #expect(try g.readAll() == [GeoJSONFeature(geometry: .multiPoint(MultiPoint([Point(1, 2)])))])
    }

    @Test(arguments: [
        ("urn:ogc:def:crs:EPSG::4549", CRS.epsg(4549)), ("urn:ogc:def:crs:OGC:1.3:CRS84", .wgs84),
        ("EPSG:4490", .cgcs2000), ("gcj02", .gcj02),
    ])
    func honoursTheNamedCRS(name: String, expected: CRS) throws {
        let crs = #""crs":{"type":"name","properties":{"name":"\#(name)"}},"#
        #expect(try reader(collection([], before: crs)).crs == expected)
        #expect(try reader(#"{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":4549}},"features":[]}"#).crs == .epsg(4549))
        #expect(try reader(collection([], before: #""crs":null,"#)).crs == nil)
    }

    @Test func honoursACRSThatComesAfterTheFeatures() throws {
        let text = collection([feature(#"{"type":"Point","coordinates":[500000,3456789]}"#)],
                              after: #","bbox":[500000,3456789,500000,3456789],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}}"#)
        let r = try reader(text)
        // Known before the first feature is read.
        #expect(r.crs == .epsg(4549))
        #expect(r.bbox == BoundingBox(minX: 500000, minY: 3456789, maxX: 500000, maxY: 3456789))
        #expect(try r.next()?.geometry == .point(Point(500000, 3456789)))
    }

    @Test func featureRoundTripsThroughTheWriter() throws {
        var features: [GeoJSONFeature] = []
        for (i, (_, g)) in WKTSamples.all.enumerated() {
            features.append(GeoJSONFeature(id: i % 2 == 0 ? .number(JSONNumber(i)) : .string("f\(i)"), geometry: g,
                                           properties: ["i": .number(JSONNumber(i)), "s": .string("第\(i)格\n\"q\""),
                                                        "nested": .object(["a": .array([.null, .bool(true)])])],
                                           bbox: i == 3 ? BoundingBox(minX: -1, minY: -2, maxX: 3, maxY: 4) : nil))
        }
        features.append(GeoJSONFeature(geometry: nil))
        var bytes: [UInt8] = []
        let w = try GeoJSONWriter(crs: .epsg(4549), collectionBBox: .computed, writeFeatureBBoxes: false) { bytes += $0 }
        for f in features { try w.write(f) }
        try w.finish()
        let r = try GeoJSONFeatureReader(bytes: bytes)
        #expect(r.crs == .epsg(4549))
        let box = features.compactMap { $0.geometry?.boundingBox }.reduce(BoundingBox.empty) { $0.union($1) }
        #expect(r.bbox == box)
        let back = try r.readAll()
        #expect(back == features)
        for (a, b) in zip(back, features) where a.geometry != nil {
            #expect(WKTSamples.identical(a.geometry!, b.geometry!))
        }
    }

    @Test func writerComputesFeatureBBoxesAndWritesAFixedCollectionBBoxFirst() throws {
        var bytes: [UInt8] = []
        let fixed = BoundingBox(minX: 120, minY: 30, maxX: 122, maxY: 32)
        let w = try GeoJSONWriter(crs: .wgs84, collectionBBox: .fixed(fixed), writeFeatureBBoxes: true) { bytes += $0 }
        try w.write(GeoJSONFeature(geometry: .polygon(WKTSamples.polygonWithHoles)))
        try w.write(GeoJSONFeature(geometry: .point(.empty)))
        try w.write(GeoJSONFeature(geometry: .point(Point(1, 2)), bbox: BoundingBox(minX: 0, minY: 0, maxX: 5, maxY: 5)))
        try w.finish()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"type":"FeatureCollection","bbox":[120,30,122,32],"features":["#)) // no crs for WGS84
        let r = try GeoJSONFeatureReader(bytes: bytes)
        #expect(r.crs == nil)
        #expect(r.bbox == fixed)
        #expect(try r.readAll().map(\.bbox) == [BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10), nil, BoundingBox(minX: 0, minY: 0, maxX: 5, maxY: 5)])
    }

    @Test func writerRefusesABadFeatureWithoutCorruptingTheOutput() throws {
        var bytes: [UInt8] = []
        let w = try GeoJSONWriter { bytes += $0 }
        try w.write(GeoJSONFeature(geometry: .point(Point(1, 2))))
        #expect(throws: GeometryError.self) { try w.write(GeoJSONFeature(geometry: .point(Point(.infinity, 2)))) }
        #expect(throws: GeometryError.self) { try w.write(GeoJSONFeature(id: .bool(true), geometry: nil)) }
        try w.finish()
        #expect(throws: IOFileError.self) { try w.write(GeoJSONFeature(geometry: nil)) }
        #expect(try GeoJSONFeatureReader(bytes: bytes).readAll() == [GeoJSONFeature(geometry: .point(Point(1, 2)))])
    }
}

/// One test per malformed-GeoJSON kind; each error names the file, the feature and the byte offset.
@Suite struct GeoJSONErrorTests {
    func refuse(_ text: String, _ fragment: String, feature: Int?, offset: Int? = nil, field: String? = nil,
                options: GeoJSONReadOptions = .init(), sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let e = expectIOFormatError({ _ = try reader(text, options: options).readAll() }, sourceLocation: sourceLocation)
        guard let e else { return }
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.file == "grid.geojson", sourceLocation: sourceLocation)
        #expect(e.location?.feature == feature, "\(e)", sourceLocation: sourceLocation)
        #expect(e.location?.byteOffset != nil, sourceLocation: sourceLocation)
        if let offset { #expect(e.location?.byteOffset == offset, "\(e)", sourceLocation: sourceLocation) }
        if let field { #expect(e.location?.field == field, "\(e)", sourceLocation: sourceLocation) }
        if let feature { #expect(e.description.contains("feature \(feature), byte "), "\(e)", sourceLocation: sourceLocation) }
    }

    static let point = feature(#"{"type":"Point","coordinates":[1,2]}"#)

    @Test func refusesAnUnclosedRing() {
        let bad = feature(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#)
        let text = collection([Self.point, bad])
        let featureOffset = text.utf8.count - bad.utf8.count - 2
        let ringOffset = featureOffset + Array(bad.utf8).firstIndex(of: UInt8(ascii: "["))! + 1 // `[[[0,0]…`: the ring is the second `[`
        refuse(text, "polygon ring is not closed", feature: 1, offset: ringOffset, field: "geometry.coordinates[0]")
        refuse(collection([feature(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#)]), "at least 4 positions, found 3", feature: 0)
        refuse(collection([feature(#"{"type":"LineString","coordinates":[[0,0]]}"#)]), "found 1", feature: 0)
    }

    @Test func refusesWrongNesting() {
        refuse(collection([Self.point, feature(#"{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}"#)]),
               "wrong nesting in Polygon coordinates: expected a ring (array of positions), found a position", feature: 1,
               field: "geometry.coordinates[0]")
        refuse(collection([feature(#"{"type":"Point","coordinates":[[1,2]]}"#)]), "one array level too deep", feature: 0)
        refuse(collection([feature(#"{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#)]),
               "wrong nesting in MultiPolygon", feature: 0)
        refuse(collection([feature(#"{"type":"LineString","coordinates":{"a":1}}"#)]), "found object", feature: 0)
    }

    @Test func refusesNonNumericAndNonFiniteCoordinates() {
        refuse(collection([feature(#"{"type":"Point","coordinates":["1",2]}"#)]), "a position must hold numbers, found string",
               feature: 0, field: "geometry.coordinates[0]")
        refuse(collection([Self.point, feature(#"{"type":"Point","coordinates":[NaN,2]}"#)]), "NaN and Infinity", feature: 1)
        refuse(collection([feature(#"{"type":"Point","coordinates":[1e999,2]}"#)]), "out of range", feature: 0)
        refuse(collection([feature(#"{"type":"Point","coordinates":[1]}"#)]), "at least 2 numbers, found 1", feature: 0)
    }

    @Test func refusesAltitudeWithoutDropZM() {
        refuse(collection([feature(#"{"type":"Point","coordinates":[1,2,3]}"#)]), "altitude", feature: 0)
        #expect(throws: Never.self) {
            _ = try reader(collection([feature(#"{"type":"Point","coordinates":[1,2,3]}"#)]), options: .init(dropZM: true)).readAll()
        }
    }

    @Test func refusesUnknownOrMalformedCRS() {
        refuse(collection([], before: #""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::mercator"}},"#),
               "unknown crs \"urn:ogc:def:crs:EPSG::mercator\"", feature: nil, offset: 34, field: "crs.properties.name")
        refuse(collection([Self.point], after: #","crs":{"type":"name","properties":{"name":"Beijing 1954"}}"#),
               "unknown crs \"Beijing 1954\"", feature: nil)
        refuse(collection([], before: #""crs":{"type":"link","properties":{"href":"http://x/crs"}},"#), "linked \"crs\"", feature: nil)
        refuse(collection([], before: #""crs":"EPSG:4326","#), "\"crs\" must be an object or null, found string", feature: nil)
        refuse(collection([], before: #""crs":{"type":"name"},"#), "needs a \"properties\" object", feature: nil)
        refuse(collection([#"{"type":"Feature","crs":null,"geometry":null,"properties":{}}"#]),
               "a \"crs\" member on a feature is not supported", feature: 0)
    }

    @Test func refusesBadFeatures() {
        refuse(collection([Self.point, "[1,2]"]), "a feature must be an object, found array", feature: 1)
        refuse(collection([#"{"type":"Point","coordinates":[1,2]}"#]), "expected \"type\": \"Feature\", found \"Point\"", feature: 0)
        refuse(collection([#"{"type":"Feature","properties":{}}"#]), "needs a \"geometry\" member", feature: 0)
        refuse(collection([#"{"type":"Feature","id":[1],"geometry":null}"#]), "id must be a string or a number", feature: 0)
        refuse(collection([feature(#"{"type":"Circle","coordinates":[1,2]}"#)]), "unknown geometry type \"Circle\"", feature: 0)
        refuse(collection([#"{"type":"Feature","geometry":null,"properties":[]}"#]), "\"properties\" must be an object or null", feature: 0)
        refuse(collection([#"{"type":"Feature","geometry":null,"bbox":[1,2,3]}"#]), "must have 4 numbers", feature: 0)
    }

    @Test func refusesBadDocuments() {
        refuse(#"{"type":"FeatureCollection"}"#, "needs a \"features\" array", feature: nil)
        refuse(#"{"type":"FeatureCollection","features":{}}"#, "\"features\" must be an array, found object", feature: nil, offset: 39)
        refuse(#"{"features":[]}"#, "needs a \"type\" member", feature: nil)
        refuse(#"{"type":"Topology"}"#, "unknown GeoJSON type \"Topology\"", feature: nil)
        refuse("[]", "must be an object", feature: nil, offset: 0)
        refuse("", "the document is empty", feature: nil, offset: 0)
        refuse(#"{"type":"FeatureCollection","features":[],"features":[]}"#, "duplicate key \"features\"", feature: nil, offset: 42)
    }

    @Test func syntaxErrorsInsideFeaturesNameTheFeature() {
        let text = collection([Self.point, Self.point, #"{"type":"Feature","geometry":null,"properties":{"a":01}}"#])
        refuse(text, "leading zeros", feature: 2, offset: text.utf8.count - 6)
        refuse(collection([Self.point, Self.point + ","]), "trailing comma before ']'", feature: 1)
        refuse(collection([Self.point]) + "garbage", "after the end of the JSON document", feature: nil)
        refuse(collection([Self.point, #"{"type":"Feature","geometry":null,"properties":{"s":"\ud800"}}"#]), "lone high surrogate", feature: 1)
        refuse(collection([Self.point, String(repeating: "[", count: 1000)]), "nesting deeper than 256", feature: 1)
    }
}
