import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Counts SVG elements by class while checking that the document is well-formed XML.
final class SVGCensus: NSObject, XMLParserDelegate {
    /// `data-layer` of each `<g class="layer">` → paths inside it.
    var pathsPerLayer: [String: Int] = [:]
    var layerOrder: [String] = []
    var atomicPaths = 0
    var circles = 0
    var viewBox: String?
    var titles: [String] = []
    private var currentLayer: String?
    private var inTitle = false
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "svg": viewBox = attributes["viewBox"]
        case "g" where attributes["class"] == "layer":
            currentLayer = attributes["data-layer"]
            if let l = currentLayer { layerOrder.append(l) }
        case "path" where attributes["class"] == "cell": if let l = currentLayer { pathsPerLayer[l, default: 0] += 1 }
        case "path" where attributes["class"] == "atomic": atomicPaths += 1
        case "circle": circles += 1
        case "title": inTitle = true; text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inTitle { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "g" { currentLayer = nil }
        if name == "title" { inTitle = false; titles.append(text) }
    }

    /// Parses `data`; `nil` when it is not well-formed XML.
    static func parse(_ data: Data) -> SVGCensus? {
        let census = SVGCensus()
        let parser = XMLParser(data: data)
        parser.delegate = census
        return parser.parse() ? census : nil
    }
}

@Suite struct RenderCommandTests {
    @Test func svgIsWellFormedWithOnePathPerCell() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        try dir.write("events.csv", "id,lon,lat\n1,121.405,31.242\n2,abc,31.2\n3,121.415,31.247\n")
        var r = try dir.run("render", "t.gpkg", "--out", "m.svg", "--events", "events.csv")
        #expect(r.status == 0)
        #expect(r.stdout == "Wrote m.svg: 2 layers, 4 cells, 4 merged cells, 2 events.\n")
        let census = try #require(SVGCensus.parse(try Data(contentsOf: URL(fileURLWithPath: dir.path("m.svg")))))
        #expect(census.layerOrder == ["police", "greening"])
        #expect(census.pathsPerLayer == ["police": 2, "greening": 2])
        #expect(census.atomicPaths == 4)
        #expect(census.circles == 2 + 1)  // two events and the legend's dot
        // Names with XML specials survive escaping.
        #expect(census.titles.contains("police JW-0001 (第1警务区 <A&B>)"))
        // The map is 0.02° × 0.01° at 31.245°N: width/height = 2·cos(31.245°) ≈ 1.71 (plus legend and margins).
        let box = try #require(census.viewBox).split(separator: " ").compactMap { Double($0) }
        #expect(box.count == 4)
        #expect(abs((box[2] - 20 * 3 - 260) / 1000 - 1) < 1e-9)

        // GCJ-02 events are converted (a few hundred metres) and still drawn.
        r = try dir.run("render", "t.gpkg", "--out", "gcj.svg", "--events", "events.csv", "--events-crs", "gcj02")
        #expect(r.status == 0)
        #expect(r.stdout == "Wrote gcj.svg: 2 layers, 4 cells, 4 merged cells, 2 events.\n")

        r = try dir.run("render", "t.gpkg", "--out", "police.svg", "--layer", "police")
        #expect(r.status == 0)
        let one = try #require(SVGCensus.parse(try Data(contentsOf: URL(fileURLWithPath: dir.path("police.svg")))))
        #expect(one.pathsPerLayer == ["police": 2])
    }

    @Test func renderRefusesUnknownLayerAndOverwritingTheTwin() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        try CLIFixtures.mergedTwin(in: dir)
        var r = try dir.run("render", "t.gpkg", "--out", "m.svg", "--layer", "nope")
        #expect(r.status == 1)
        #expect(r.stderr == "twin-tool: t.gpkg: the twin has no layer nope (layers: police, greening)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.path("m.svg")))
        r = try dir.run("render", "t.gpkg", "--out", "./t.gpkg")
        #expect(r.status == 2)
        r = try dir.run("render", "t.gpkg", "--out", "m.svg", "--events-crs", "bogus")
        #expect(r.status == 2)
        r = try dir.run("render", "t.gpkg", "--out", "m.svg", "--events", "missing.csv")
        #expect(r.status == 1)
        #expect(r.stderr.contains("missing.csv"))
    }
}
