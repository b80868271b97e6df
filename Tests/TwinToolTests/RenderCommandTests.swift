import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TwinGeo

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

/// Renders an SVG in headless Chromium and reads back what was painted: the page loads the SVG
/// into an `<img>` (as a data URL, so the canvas is not tainted by a file:// origin), draws it
/// on a canvas, and writes into the DOM whether it loaded, its size, the painted pixels and, per
/// expected layer colour, the map pixels of its hue. `--dump-dom` prints
/// the DOM once the page is idle (virtual time, so no sleeps).
enum BrowserRenderCheck {
    struct Result: Decodable {
        var loaded: Bool
        var width: Int
        var height: Int
        /// Pixels that are not white.
        var painted: Int
        /// Per expected colour (`#rrggbb`): coloured pixels left of `mapRight` whose hue is within
        /// 15° of it (and nearer to it than to the other expected colours).
        var colours: [String: Int]
        var error: String?
    }

    /// The browser binary: `TWIN_CHROMIUM`, else the Debian package's path, else Chromium.
    static func browser() -> String? {
        var candidates = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        if let configured = ProcessInfo.processInfo.environment["TWIN_CHROMIUM"] { candidates.insert(configured, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Renders `svg` and reports what was painted, or `nil` (with an issue recorded) when the
    /// browser is missing or prints no result.
    static func render(_ svg: Data, colours: [String], mapRight: Int, in dir: TempDirectory) throws -> Result? {
        guard let browser = browser() else {
            Issue.record("""
                chromium-headless-shell is not installed, so the SVG map cannot be checked in a browser:                 run scripts/setup (it installs the Debian package chromium-headless-shell) or set TWIN_CHROMIUM
                """)
            return nil
        }
        let palette = colours.map { "\"\($0)\"" }.joined(separator: ",")
        let page = """
            <!DOCTYPE html><html><body><pre id="result">pending</pre><script>
            const colours = [\(palette)];
            // Hue in degrees: strokes keep their layer's hue under anti-aliasing, the other layers'
            // translucent fills and the merged cells' dark dashes, which change their exact values.
            const hue = (r, g, b) => {
              const mx = Math.max(r, g, b), d = mx - Math.min(r, g, b);
              if (d === 0) return 0;
              const h = 60 * (mx === r ? ((g - b) / d + 6) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4);
              return h;
            };
            const hues = colours.map(c => hue(...[1, 3, 5].map(i => parseInt(c.substr(i, 2), 16))));
            const out = r => { document.getElementById('result').textContent = JSON.stringify(r); };
            const img = new Image();
            img.onerror = () => out({loaded: false, width: 0, height: 0, painted: 0, colours: {}, error: 'the image did not load'});
            img.onload = () => {
              try {
                const w = img.naturalWidth, h = img.naturalHeight;
                const canvas = document.createElement('canvas');
                canvas.width = w; canvas.height = h;
                const g = canvas.getContext('2d');
                g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, w, h).data;
                let painted = 0;
                const counts = {};
                colours.forEach(c => counts[c] = 0);
                for (let p = 0; p < w * h; p++) {
                  const r = d[4 * p], gr = d[4 * p + 1], b = d[4 * p + 2];
                  if (r === 255 && gr === 255 && b === 255) continue;
                  painted++;
                  // Map pixels only, and only coloured ones (the pale fills and grey dashes are not).
                  if ((p % w) >= \(mapRight) || Math.max(r, gr, b) - Math.min(r, gr, b) < 25) continue;
                  const ph = hue(r, gr, b);
                  let best = -1, bestDistance = 360;
                  hues.forEach((c, k) => {
                    const dist = Math.min(Math.abs(c - ph), 360 - Math.abs(c - ph));
                    if (dist < bestDistance) { bestDistance = dist; best = k; }
                  });
                  if (bestDistance < 15) counts[colours[best]]++;
                }
                out({loaded: true, width: w, height: h, painted: painted, colours: counts});
              } catch (e) {
                out({loaded: true, width: 0, height: 0, painted: 0, colours: {}, error: String(e)});
              }
            };
            img.src = 'data:image/svg+xml;base64,\(svg.base64EncodedString())';
            </script></body></html>
            """
        let html = dir.path("render-check-\(UUID().uuidString).html")
        try page.write(toFile: html, atomically: true, encoding: .utf8)
        let stdout = dir.path(".chromium-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: stdout, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        // --no-sandbox: the tests may run as root, which Chromium's sandbox refuses. A profile
        // directory of our own, so parallel runs never share (and lock) one.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                             "--user-data-dir=" + dir.path("chromium-profile-\(UUID().uuidString)"),
                             "--dump-dom", URL(fileURLWithPath: html).absoluteString]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A hung browser must fail the test, not the whole run.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("\(browser) did not finish within 60 s")
        }
        process.waitUntilExit()
        try handle.close()
        let dom = String(decoding: try Data(contentsOf: URL(fileURLWithPath: stdout)), as: UTF8.self)
        guard let open = dom.range(of: "<pre id=\"result\">"), let close = dom.range(of: "</pre>", range: open.upperBound ..< dom.endIndex),
              let result = try? JSONDecoder().decode(Result.self, from: Data(dom[open.upperBound ..< close.lowerBound].utf8)) else {
            Issue.record("\(browser) printed no render result (exit \(process.terminationStatus)): \(dom.prefix(300))")
            return nil
        }
        return result
    }

    /// What is wrong with a render of an SVG `width` × `height` whose map should show every colour
    /// of `colours`; empty when it rendered correctly.
    static func problems(_ r: Result, width: Int, height: Int, colours: [String]) -> [String] {
        var problems: [String] = []
        if !r.loaded { problems.append("the browser could not load the SVG (\(r.error ?? "onerror"))") }
        if let error = r.error, r.loaded { problems.append("reading the canvas failed: \(error)") }
        if r.loaded && (r.width != width || r.height != height) {
            problems.append("the image is \(r.width)×\(r.height), the SVG says \(width)×\(height)")
        }
        if r.loaded && r.painted < width * height / 20 { problems.append("only \(r.painted) pixels are painted") }
        for c in colours where (r.colours[c] ?? 0) < 50 {
            problems.append("the map shows \(r.colours[c] ?? 0) pixels of the layer colour \(c)")
        }
        return problems
    }
}

@Suite struct RenderCommandTests {
    /// The fixture twin's map (police and greening) as rendered by `twin-tool render`, with its
    /// size and where the map ends (the legend is right of it).
    static func renderedMap(in dir: TempDirectory) throws -> (svg: Data, width: Int, height: Int, mapRight: Int) {
        try CLIFixtures.mergedTwin(in: dir)
        let r = try dir.run("render", "t.gpkg", "--out", "m.svg")
        #expect(r.status == 0, "\(r.stderr)")
        let svg = try Data(contentsOf: URL(fileURLWithPath: dir.path("m.svg")))
        let census = try #require(SVGCensus.parse(svg))
        let box = try #require(census.viewBox).split(separator: " ").compactMap { Double($0) }
        // The legend is 260 wide plus a margin of 20 (SVGMap's layout).
        return (svg, Int(box[2].rounded(.up)), Int(box[3].rounded(.up)), Int(box[2] - 260 - 20))
    }

    @Test func headlessChromiumRendersTheMapWithEveryLayerColour() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        let map = try Self.renderedMap(in: dir)
        let colours = Array(SVGMap.palette.prefix(2))  // police, greening
        let result = try #require(try BrowserRenderCheck.render(map.svg, colours: colours, mapRight: map.mapRight, in: dir))
        #expect(BrowserRenderCheck.problems(result, width: map.width, height: map.height, colours: colours) == [])
    }

    /// The check must catch a broken map: a truncated file does not load, and a map whose
    /// second layer lost its colour is missing that colour.
    @Test func headlessChromiumCheckDetectsABrokenMap() throws {
        let dir = try TempDirectory()
        defer { dir.cleanup() }
        let map = try Self.renderedMap(in: dir)
        let colours = Array(SVGMap.palette.prefix(2))

        let truncated = map.svg.prefix(map.svg.count / 2)
        let cut = try #require(try BrowserRenderCheck.render(Data(truncated), colours: colours, mapRight: map.mapRight, in: dir))
        let cutProblems = BrowserRenderCheck.problems(cut, width: map.width, height: map.height, colours: colours)
        #expect(!cut.loaded)
        #expect(cutProblems.first?.hasPrefix("the browser could not load the SVG") == true, "\(cutProblems)")

        let text = String(decoding: map.svg, as: UTF8.self).replacingOccurrences(of: colours[1], with: "#ffffff")
        let faded = try #require(try BrowserRenderCheck.render(Data(text.utf8), colours: colours, mapRight: map.mapRight, in: dir))
        #expect(faded.loaded)
        #expect(BrowserRenderCheck.problems(faded, width: map.width, height: map.height, colours: colours)
                    == ["the map shows 0 pixels of the layer colour \(colours[1])"])
    }

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
