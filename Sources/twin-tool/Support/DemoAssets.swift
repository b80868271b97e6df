import TwinGeo

/// The demo's asset step: imports the sample district's asset files into the twin.
enum DemoAssets {
    /// What one file gave.
    struct Imported {
        /// The kind of asset.
        var kind: AssetKind
        /// The file, relative to the demo directory.
        var file: String
        /// Assets written to the twin.
        var imported: Int
        /// Records left out (each reported on stderr).
        var rejected: Int
    }

    /// The asset files the sample district writes (`SampleDistrict.fileNames`), one per kind.
    /// Cameras are written as CSV and GeoJSON with the same records; the CSV is imported.
    static let files: [(AssetKind, String)] = [(.building, "assets/buildings.geojson"), (.pipe, "assets/pipes.geojson"),
                                               (.camera, "assets/cameras.csv"), (.sensor, "assets/sensors.csv")]

    /// At most this many rejects of one file are printed; the count says how many there were.
    static let rejectsShown = 10

    /// Imports every kind leniently (good records imported, bad ones reported and left out), one
    /// transaction per file.
    ///
    /// - Parameters:
    ///   - builder: the twin being built.
    ///   - root: the demo directory.
    ///   - step: prints one progress line per kind.
    /// - Returns: one entry per kind, in ``files`` order.
    /// - Throws: as `TwinBuilder.importAssets(path:kind:options:)` for a file that cannot be read.
    static func importAll(into builder: TwinBuilder, root: String, step: (String) -> Void) throws -> [Imported] {
        try files.map { kind, file in
            let result = try builder.importAssets(path: root + "/" + file, kind: kind, options: AssetImportOptions())
            for reject in result.rejects.prefix(rejectsShown) { Console.error("twin-tool demo: \(reject)") }
            if result.rejects.count > rejectsShown {
                Console.error("twin-tool demo: … and \(result.rejects.count - rejectsShown) more rejected \(kind) records in \(file)")
            }
            step("imported \(result.assets.count) \(kind)(s) from \(file), rejected \(result.rejects.count)")
            return Imported(kind: kind, file: file, imported: result.assets.count, rejected: result.rejects.count)
        }
    }
}
