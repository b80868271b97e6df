import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TwinGeo

@Suite struct RenderSVGMapTests {
    static func square(_ x0: Double, _ y0: Double, _ side: Double, hole: Bool = false) -> MultiPolygon {
        let ring = [Coordinate(x0, y0), Coordinate(x0 + side, y0), Coordinate(x0 + side, y0 + side), Coordinate(x0, y0 + side),
                    Coordinate(x0, y0)]
        let q = side / 4
        let inner = [Coordinate(x0 + q, y0 + q), Coordinate(x0 + q, y0 + 3 * q), Coordinate(x0 + 3 * q, y0 + 3 * q),
                     Coordinate(x0 + 3 * q, y0 + q), Coordinate(x0 + q, y0 + q)]
        return MultiPolygon([Polygon(exterior: ring, holes: hole ? [inner] : [])])
    }

    static let data = TwinMapData(
        layers: [
            TwinMapLayer(name: "警务 <&\"'>", kind: .department, version: 1, cells: [
                GridCell(code: "JW-1", name: "a&b", geometry: square(121.40, 31.20, 0.01, hole: true)),
                GridCell(code: "JW-2", name: nil, geometry: square(121.41, 31.20, 0.01)),
            ]),
            TwinMapLayer(name: "jiezhen", kind: .subdistrict, version: 2, cells: [
                GridCell(code: "310107001", name: "街道", geometry: square(121.40, 31.20, 0.02)),
            ]),
        ],
        mergedCells: [square(121.40, 31.20, 0.01), square(121.41, 31.20, 0.01)], epoch: 0)

    /// Element counts of a document, or nil when it is not well-formed XML.
    final class Counter: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var cellPaths: [String: Int] = [:]
        var layer: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
            if name == "g", attributes["class"] == "layer" { layer = attributes["data-layer"] }
            if name == "path", attributes["class"] == "cell", let layer { cellPaths[layer, default: 0] += 1 }
        }
        static func count(_ svg: String) -> Counter? {
            let c = Counter()
            let p = XMLParser(data: Data(svg.utf8))
            p.delegate = c
            return p.parse() ? c : nil
        }
    }

    @Test func documentIsWellFormedWithOnePathPerCell() throws {
        let svg = try SVGMap.render(Self.data, options: SVGMapOptions(title: "t <1>", events: [Coordinate(121.405, 31.205)]))
        let c = try #require(Counter.count(svg))
        #expect(c.cellPaths == ["警务 <&\"'>": 2, "jiezhen": 1])
        #expect(c.elements["circle"] == 2)  // one event, one legend dot
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func projectionKeepsMetresSquareAndNorthUp() throws {
        let p = try #require(SVGMap.Projection(data: Self.data, events: [], width: 1000))
        // 0.02° of longitude at 31.21°N is cos(31.21°) × 0.02° of latitude long.
        let cosLat = cos(31.21 * Double.pi / 180)
        #expect(abs(p.width - 1000) < 1e-9)
        #expect(abs(p.height - 1000 / cosLat) < 1e-6)
        let nw = p.project(Coordinate(121.40, 31.22)), se = p.project(Coordinate(121.42, 31.20))
        #expect(abs(nw.x) < 1e-9 && abs(nw.y) < 1e-9)
        #expect(abs(se.x - p.width) < 1e-6 && abs(se.y - p.height) < 1e-6)
    }

    @Test func holesAreSubpathsOfTheirCell() throws {
        let p = try #require(SVGMap.Projection(data: Self.data, events: [], width: 1000))
        let d = p.path(Self.square(121.40, 31.20, 0.01, hole: true))
        #expect(d.filter { $0 == "M" }.count == 2)
        #expect(d.filter { $0 == "Z" }.count == 2)
    }

    @Test func escapeCoversMarkupAndForbiddenCharacters() {
        #expect(SVGMap.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(SVGMap.escape("x\u{1}y\u{FFFE}") == "x\u{FFFD}y\u{FFFD}")
        #expect(SVGMap.escape("普陀\t区\n") == "普陀\t区\n")
    }

    @Test func numbersHaveAtMostTwoDecimals() {
        #expect(SVGMap.fmt(1.0) == "1")
        #expect(SVGMap.fmt(-0.001) == "0")
        #expect(SVGMap.fmt(12.345) == "12.35" || SVGMap.fmt(12.345) == "12.34")
        #expect(SVGMap.fmt(1e6) == "1000000")
    }

    @Test func nothingToDrawIsAnError() {
        #expect(throws: GeometryError.self) {
            try SVGMap.render(TwinMapData(layers: [], mergedCells: [], epoch: nil))
        }
    }
}
