import ArgumentParser
import TwinGeo

/// `twin-tool import-layer TWIN.gpkg --layer NAME --code-field F … FILE.geojson`.
struct ImportLayer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-layer",
        abstract: "Import a grid layer (one GeoJSON feature per cell) as a new layer version.",
        discussion: """
            The first import of a layer name is version 1; importing the name again adds the next \
            version, in force from --valid-from (the older version stays in force before it). The \
            import is one transaction: a refused file leaves the twin as it was. Errors name the \
            file, the feature (0-based) and the field.

            Example:
              twin-tool import-layer putuo.gpkg --layer jiezhen --kind subdistrict \\
                  --code-field code --name-field name layers/jiezhen.geojson
            """
    )

    @OptionGroup var options: TwinOptions

    @Option(help: "The layer name (e.g. police, 警务, jiezhen).")
    var layer: String

    @Option(help: "The feature property holding the cell code.")
    var codeField: String

    @Option(help: "The feature property holding the cell name.")
    var nameField: String?

    @Option(help: "The feature property holding the parent cell's code (hierarchy layers).")
    var parentCodeField: String?

    @Option(help: "The CRS of the file's coordinates when the file does not say (default: the file's crs member, else CRS84).")
    var crs: CRS?

    @Option(help: "What the layer partitions the district into.")
    var kind: GridLayerKind = .department

    @Option(help: "When this version comes into force: YYYY-MM-DD (UTC) or an ISO 8601 instant.")
    var validFrom: DateArgument?

    @Option(help: "When this version stops being in force.")
    var validTo: DateArgument?

    @Argument(help: ArgumentHelp("The GeoJSON FeatureCollection.", valueName: "file.geojson"))
    var file: String

    func validate() throws {
        if let from = validFrom?.date, let to = validTo?.date, from >= to {
            throw ValidationError("--valid-to must be after --valid-from")
        }
        try PathCheck.refuseOverwrite(output: options.twin, option: "the twin", inputs: [file])
    }

    func run() throws {
        // Open the twin first: a missing or damaged twin is reported before the file is read.
        let builder = try TwinBuilder.open(at: options.twin)
        Console.progress("twin-tool: reading \(file)")
        let grid = try GridLayer.importGeoJSON(path: file, name: layer, kind: kind, codeField: codeField,
                                               nameField: nameField, parentCodeField: parentCodeField, crs: crs)
        let version = try builder.importLayer(grid, validFrom: validFrom?.date, validTo: validTo?.date, sourceFile: file)
        Console.output("Imported layer \(layer) v\(version) (\(kind.argumentName)): \(grid.cells.count) cells from \(file).")
    }
}
