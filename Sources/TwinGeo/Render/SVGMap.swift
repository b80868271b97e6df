#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``SVGMap`` draws a twin.
public struct SVGMapOptions: Hashable, Sendable {
    /// Width of the map area in SVG user units (pixels); the height follows from the extent.
    public var width: Double
    /// A title drawn above the legend (escaped), e.g. the twin's file name.
    public var title: String?
    /// Event positions (WGS84 lon/lat) drawn as dots; non-finite positions are skipped.
    public var events: [Coordinate]
    /// The legend label of the dots.
    public var eventLabel: String
    /// Whether to draw the merged cells' boundaries.
    public var drawMergedCells: Bool

    public init(width: Double = 1000, title: String? = nil, events: [Coordinate] = [], eventLabel: String = "events",
                drawMergedCells: Bool = true) {
        self.width = width
        self.title = title
        self.events = events
        self.eventLabel = eventLabel
        self.drawMergedCells = drawMergedCells
    }
}

/// Writes a twin's layers, merged cells and events as one standalone SVG document.
///
/// * **Projection**: equirectangular about the extent's middle latitude φ₀: x = (λ − λmin)·cos φ₀·s,
///   y = (φmax − φ)·s (north up, y flipped), so a metre east and a metre north have the same
///   length on the map (to < 0.1 % over a district).
/// * **Structure**: one `<g class="layer">` per layer (distinct colours, `data-layer` = name)
///   holding one `<path class="cell">` per cell (all parts and holes of a cell in one path,
///   `fill-rule="evenodd"`, a `<title>` with code and name); one `<g class="merged">` with one
///   path per atomic cell; one `<g class="events">` of circles; a legend.
/// * Text is XML-escaped, so any layer or cell name is safe; the result is well-formed XML.
public enum SVGMap {
    /// Ten colours that stay apart on screen and print (Tableau 10).
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                 "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// The SVG document for `data`.
    ///
    /// - Parameters:
    ///   - data: the layers and merged cells (``TwinMapData/read(twinAt:layers:)``).
    ///   - options: size, title, events.
    /// - Returns: the document text, UTF-8, starting with the XML declaration.
    /// - Throws: ``GeometryError`` when nothing has a finite position to draw (no cells, no events).
    /// - Complexity: O(positions + events).
    public static func render(_ data: TwinMapData, options: SVGMapOptions = SVGMapOptions()) throws -> String {
        guard let projection = Projection(data: data, events: options.events, width: max(options.width, 10)) else {
            throw GeometryError("nothing to draw: the twin has no cells and no events with a finite position")
        }
        let margin = 20.0, legendWidth = 260.0, row = 20.0
        let legendRows = data.layers.count + (options.drawMergedCells && !data.mergedCells.isEmpty ? 1 : 0)
            + (options.events.isEmpty ? 0 : 1) + (options.title == nil ? 0 : 1)
        let totalWidth = margin * 3 + projection.width + legendWidth
        let totalHeight = margin * 2 + max(projection.height, Double(legendRows) * row + row)

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(fmt(totalWidth))\" "
            + "height=\"\(fmt(totalHeight))\" viewBox=\"0 0 \(fmt(totalWidth)) \(fmt(totalHeight))\" "
            + "font-family=\"sans-serif\" font-size=\"13\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += "<g transform=\"translate(\(fmt(margin)),\(fmt(margin)))\">\n"
        for (i, layer) in data.layers.enumerated() {
            let colour = palette[i % palette.count]
            out += "<g class=\"layer\" data-layer=\"\(escape(layer.name))\" fill=\"\(colour)\" fill-opacity=\"0.12\" "
                + "stroke=\"\(colour)\" stroke-width=\"\(fmt(1.6 - Double(min(i, 6)) * 0.15))\" fill-rule=\"evenodd\">\n"
            for cell in layer.cells {
                out += "<path class=\"cell\" d=\"\(projection.path(cell.geometry))\"><title>\(escape(layer.name)) "
                    + "\(escape(cell.label))</title></path>\n"
            }
            out += "</g>\n"
        }
        if options.drawMergedCells && !data.mergedCells.isEmpty {
            out += "<g class=\"merged\" fill=\"none\" stroke=\"#222222\" stroke-width=\"0.4\" stroke-dasharray=\"2,1\">\n"
            for (i, cell) in data.mergedCells.enumerated() {
                out += "<path class=\"atomic\" d=\"\(projection.path(cell))\"><title>atomic cell \(i)</title></path>\n"
            }
            out += "</g>\n"
        }
        if !options.events.isEmpty {
            out += "<g class=\"events\" fill=\"#d62728\" fill-opacity=\"0.7\" stroke=\"none\">\n"
            for e in options.events where e.isFinite {
                let p = projection.project(e)
                out += "<circle cx=\"\(fmt(p.x))\" cy=\"\(fmt(p.y))\" r=\"1.6\"/>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n"

        // Legend, right of the map.
        var y = margin + row
        let x = margin * 2 + projection.width
        out += "<g class=\"legend\" transform=\"translate(\(fmt(x)),0)\">\n"
        if let title = options.title {
            out += "<text x=\"0\" y=\"\(fmt(y))\" font-weight=\"bold\">\(escape(title))</text>\n"
            y += row
        }
        for (i, layer) in data.layers.enumerated() {
            let colour = palette[i % palette.count]
            out += "<rect x=\"0\" y=\"\(fmt(y - 11))\" width=\"14\" height=\"12\" fill=\"\(colour)\" fill-opacity=\"0.35\" "
                + "stroke=\"\(colour)\"/><text x=\"22\" y=\"\(fmt(y))\">\(escape(layer.name)) (\(escape(layer.kind.chineseName)), "
                + "\(layer.cells.count) cells)</text>\n"
            y += row
        }
        if options.drawMergedCells && !data.mergedCells.isEmpty {
            out += "<line x1=\"0\" y1=\"\(fmt(y - 5))\" x2=\"14\" y2=\"\(fmt(y - 5))\" stroke=\"#222222\" stroke-dasharray=\"2,1\"/>"
                + "<text x=\"22\" y=\"\(fmt(y))\">merged cells (\(data.mergedCells.count))</text>\n"
            y += row
        }
        if !options.events.isEmpty {
            out += "<circle cx=\"7\" cy=\"\(fmt(y - 5))\" r=\"3\" fill=\"#d62728\"/>"
                + "<text x=\"22\" y=\"\(fmt(y))\">\(escape(options.eventLabel)) (\(options.events.count))</text>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and characters XML 1.0 forbids
    /// (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) replaced by U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate with two decimals (0.01 px is far below what a screen shows).
    static func fmt(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        let text = r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
        return text == "-0" ? "0" : text
    }

    /// The equirectangular projection of ``SVGMap``.
    struct Projection {
        let minLon: Double, maxLat: Double, scaleX: Double, scaleY: Double
        let width: Double, height: Double

        /// `nil` when no finite position exists.
        init?(data: TwinMapData, events: [Coordinate], width: Double) {
            var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
            func add(_ c: Coordinate) {
                guard c.isFinite else { return }
                minX = min(minX, c.x); maxX = max(maxX, c.x); minY = min(minY, c.y); maxY = max(maxY, c.y)
            }
            for layer in data.layers { for cell in layer.cells { for p in cell.geometry.polygons { p.exterior.forEach(add) } } }
            for cell in data.mergedCells { for p in cell.polygons { p.exterior.forEach(add) } }
            events.forEach(add)
            guard minX <= maxX, minY <= maxY else { return nil }
            let cosLat = cos((minY + maxY) / 2 * .pi / 180)
            // A single point or a degenerate extent still gets a finite scale.
            let spanX = max((maxX - minX) * cosLat, 1e-9), spanY = max(maxY - minY, 1e-9)
            let s = width / max(spanX, spanY * 0.25)
            self.minLon = minX
            self.maxLat = maxY
            self.scaleX = s * cosLat
            self.scaleY = s
            self.width = spanX * s
            self.height = spanY * s
        }

        func project(_ c: Coordinate) -> Coordinate {
            Coordinate((c.x - minLon) * scaleX, (maxLat - c.y) * scaleY)
        }

        /// `M x y L … Z` for every ring of every part.
        func path(_ geometry: MultiPolygon) -> String {
            var d = ""
            for polygon in geometry.polygons {
                for ring in polygon.rings where ring.count >= 3 {
                    for (k, c) in ring.enumerated() {
                        let p = project(c)
                        d += (k == 0 ? "M" : "L") + SVGMap.fmt(p.x) + " " + SVGMap.fmt(p.y)
                    }
                    d += "Z"
                }
            }
            return d
        }
    }
}
