import ArgumentParser
import Foundation
import TwinGeo

/// `twin-tool render TWIN.gpkg --out MAP.svg [--layer NAME]… [--events CSV]`.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw the twin's layers and merged cells as an SVG map.",
        discussion: """
            Each layer in its own colour (one path per cell, with its code and name as a tooltip), \
            the merged cells' boundaries dashed, optional event dots, and a legend. North is up; \
            the projection is equirectangular scaled by cos(latitude), so distances look right.

            Example:
              twin-tool render putuo.gpkg --out putuo.svg
              twin-tool render putuo.gpkg --out police.svg --layer police --events events.csv
            """
    )

    @OptionGroup var options: TwinOptions

    @Option(help: ArgumentHelp("The SVG file to write.", valueName: "map.svg"))
    var out: String

    @Option(help: "Draw only this layer (repeatable); default: every layer.")
    var layer: [String] = []

    @Option(help: "A CSV of events with lon/lat columns to draw as dots; rows without a usable position are skipped.")
    var events: String?

    @Option(help: "The CRS of the events' positions.")
    var eventsCrs: CRS = .wgs84

    @Option(help: "The events' longitude column.")
    var lonColumn = "lon"

    @Option(help: "The events' latitude column.")
    var latColumn = "lat"

    @Option(help: "Map width in pixels.")
    var width: Double = 1000

    @Flag(help: "Leave out the merged cells.")
    var noMerged = false

    func validate() throws {
        guard width.isFinite, width >= 100, width <= 100_000 else { throw ValidationError("--width must be 100…100000, not \(width)") }
        try PathCheck.refuseOverwrite(output: out, option: "--out", inputs: [options.twin] + (events.map { [$0] } ?? []))
    }

    func run() throws {
        let data = try TwinMapData.read(twinAt: options.twin, layers: layer.isEmpty ? nil : layer)
        let points = try events.map { try EventPoints.read($0, lonColumn: lonColumn, latColumn: latColumn, crs: eventsCrs) } ?? []
        let title = URL(fileURLWithPath: options.twin).lastPathComponent
        let svg = try SVGMap.render(data, options: SVGMapOptions(width: width, title: title, events: points,
                                                                 drawMergedCells: !noMerged))
        do {
            try svg.write(toFile: out, atomically: true, encoding: .utf8)
        } catch {
            throw CLIDataError("\(out): cannot write the map: \(error.localizedDescription)")
        }
        let cells = data.layers.reduce(0) { $0 + $1.cells.count }
        Console.output("Wrote \(out): \(data.layers.count) layers, \(cells) cells, \(data.mergedCells.count) merged cells, "
                       + "\(points.count) events.")
    }
}
