import Testing
import TwinGeo

@Suite struct GridImportTests {
    static let square = "[[[121.40,31.23],[121.401,31.23],[121.401,31.231],[121.40,31.231],[121.40,31.23]]]"

    static func collection(_ features: [String], crs: String? = nil) -> String {
        let crsMember = crs.map { "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"\($0)\"}}," } ?? ""
        return "{\"type\":\"FeatureCollection\",\(crsMember)\"features\":[\(features.joined(separator: ","))]}"
    }

    static func feature(_ properties: String, geometry: String = "{\"type\":\"Polygon\",\"coordinates\":\(square)}") -> String {
        "{\"type\":\"Feature\",\"properties\":{\(properties)},\"geometry\":\(geometry)}"
    }

    func importing(_ text: String, crs: CRS? = nil, kind: GridLayerKind = .department) throws -> GridLayer {
        let path = try GridFixture.temporaryFile(text)
        return try GridLayer.importGeoJSON(path: path, name: "警务", kind: kind, codeField: "code", nameField: "name",
                                           parentCodeField: "parent", crs: crs)
    }

    /// The error thrown by `body`, as a TwinError, or a recorded failure.
    func failure(_ body: () throws -> Void) -> (any TwinError)? {
        do { try body() } catch let e as any TwinError { return e } catch { Issue.record("not a TwinError: \(error)"); return nil }
        Issue.record("no error thrown")
        return nil
    }

    @Test func importsCellsWithCodesNamesAndAttributes() throws {
        let layer = try importing(Self.collection([
            Self.feature("\"code\":\"310107001001001\",\"name\":\"一号网格\",\"parent\":310107001001,\"area\":1.5,\"ok\":true"),
            Self.feature("\"code\":12,\"name\":7", geometry: "{\"type\":\"MultiPolygon\",\"coordinates\":[\(Self.square)]}"),
            Self.feature("\"code\":13.0,\"name\":null,\"tags\":[1,2]"),
        ]), kind: .unitGrid)
        #expect(layer.name == "警务" && layer.kind == .unitGrid && layer.cells.count == 3)
        #expect(layer.cells.map(\.code) == ["310107001001001", "12", "13"])
        #expect(layer.cells.map(\.name) == ["一号网格", "7", nil])
        #expect(layer.cells[0].parentCode == "310107001001")
        #expect(layer.cells[0].attributes == ["area": "1.5", "ok": "true"])
        #expect(layer.cells[2].attributes == ["tags": "[1,2]"])
        #expect(layer.cells[0].geometry.polygons[0].exterior[1] == Coordinate(121.401, 31.23))
    }

    @Test func transformsFromTheFileCRSAndRefusesAContradiction() throws {
        // CGCS2000 GK zone CM 120°E (EPSG:4549) metres around Putuo.
        let gk = "[[[500000,3456000],[500100,3456000],[500100,3456100],[500000,3456100],[500000,3456000]]]"
        let text = Self.collection([Self.feature("\"code\":\"A\"", geometry: "{\"type\":\"Polygon\",\"coordinates\":\(gk)}")],
                                   crs: "urn:ogc:def:crs:EPSG::4549")
        let layer = try importing(text)
        let first = layer.cells[0].geometry.polygons[0].exterior[0]
        #expect(abs(first.x - 120.0) < 1e-9 && first.y > 31.2 && first.y < 31.3)
        #expect(abs(try Geometry.multiPolygon(layer.cells[0].geometry).areaSquareMetres(in: .epsg(4549)) - 10_000) < 1e-3)
        // The same CRS given explicitly is fine; a different one is refused.
        _ = try importing(text, crs: .epsg(4549))
        let error = failure { _ = try importing(text, crs: .wgs84) }
        #expect(error is CRSError)
        #expect(error?.description.contains("layer.geojson") == true)
        #expect(error?.description.contains("EPSG:4549") == true)
    }

    @Test func refusesADocumentThatIsNotAFeatureCollection() {
        let bare = failure { _ = try importing("{\"type\":\"Polygon\",\"coordinates\":\(Self.square)}") }
        #expect(bare?.message.contains("FeatureCollection") == true)
        #expect(bare?.message.contains("bare Geometry") == true)
        let single = failure { _ = try importing(Self.feature("\"code\":\"A\"")) }
        #expect(single?.message.contains("single Feature") == true)
        #expect(single?.location?.file?.hasSuffix("layer.geojson") == true)
    }

    @Test func refusesAMissingCodeNamingTheFeatureAndField() {
        let e = failure { _ = try importing(Self.collection([Self.feature("\"code\":\"A\""), Self.feature("\"name\":\"B\"")])) }
        #expect(e is FormatError)
        #expect(e?.location?.feature == 1)
        #expect(e?.location?.field == "code")
        #expect(e?.description.contains("feature 1") == true)
        #expect(e?.message.contains("missing") == true)
    }

    @Test(arguments: ["12.5", "1e3", "-4", "true", "{\"a\":1}", "\"\""])
    func refusesACodeThatIsNotAStringOrWholeNumber(code: String) {
        let e = failure { _ = try importing(Self.collection([Self.feature("\"code\":\(code)")])) }
        #expect(e is FormatError)
        #expect(e?.location?.feature == 0 && e?.location?.field == "code")
    }

    @Test func refusesAnUnknownCRS() {
        let e = failure { _ = try importing(Self.collection([Self.feature("\"code\":\"A\"")], crs: "urn:ogc:def:crs:EPSG::999999")) }
        #expect(e is CRSError)
        #expect(e?.location?.file?.hasSuffix("layer.geojson") == true)
        let unnamed = failure { _ = try importing(Self.collection([Self.feature("\"code\":\"A\"")], crs: "not-a-crs")) }
        #expect(unnamed is FormatError)
        #expect(unnamed?.location?.field?.hasPrefix("crs") == true)
    }

    @Test func refusesNonPolygonGeometryNamingTheFeature() {
        let e = failure {
            _ = try importing(Self.collection([
                Self.feature("\"code\":\"A\""),
                Self.feature("\"code\":\"B\"", geometry: "{\"type\":\"Point\",\"coordinates\":[121.4,31.2]}"),
            ]))
        }
        #expect(e?.location?.feature == 1 && e?.location?.field == "geometry")
        #expect(e?.message.contains("POINT") == true)
        let missing = failure { _ = try importing(Self.collection([Self.feature("\"code\":\"A\"", geometry: "null")])) }
        #expect(missing?.location?.feature == 0)
    }
}
