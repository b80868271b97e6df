#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwinGeo
import TwinSamples

/// Builds the sample district's twin file (the library calls `twin-tool demo` makes): the
/// generated grids imported with their kinds, the dispatch rules, the merge (slivers snapped),
/// the assets and the sample events (for search). Tests use it at a small scale; the load test at full scale.
public enum SampleTwin {
    /// What was built.
    public struct Built: Sendable {
        /// The twin file.
        public var path: String
        /// The generated district (events included: the load test draws points from them).
        public var district: SampleDistrict
    }

    /// Generates the district into `directory` and builds `directory/twin.gpkg`.
    ///
    /// - Parameters:
    ///   - directory: created if missing; an existing `twin.gpkg` in it is replaced.
    ///   - scale: 1.0 = Putuo-sized (~2,900 unit cells); 0.005…4.
    ///   - seed: the generator's seed.
    /// - Throws: what the generator, `TwinBuilder` and the asset import throw.
    public static func build(in directory: String, scale: Double, seed: UInt64 = SampleDistrict.defaultSeed) throws -> Built {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let district = try SampleDistrict.generate(seed: seed, scale: scale)
        try district.write(to: directory)
        let path = directory + "/twin.gpkg"
        if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
        let builder = try TwinBuilder.create(at: path)
        for layer in district.layers {
            let (kind, parentField) = kind(of: layer)
            let grid = try GridLayer.importGeoJSON(path: "\(directory)/layers/\(layer.name).geojson", name: layer.name, kind: kind,
                                                   codeField: "code", nameField: "name", parentCodeField: parentField)
            try builder.importLayer(grid, sourceFile: "layers/\(layer.name).geojson")
        }
        try builder.setDispatchRules(Dictionary(district.dispatchRules.map { ($0.category, $0.department.layerName) },
                                                uniquingKeysWith: { first, _ in first }))
        _ = try builder.merge(options: MergeOptions(sliverAreaM2: 50, snapSlivers: true))
        let assets: [(AssetKind, String)] = [(.building, "assets/buildings.geojson"), (.pipe, "assets/pipes.geojson"),
                                             (.camera, "assets/cameras.csv"), (.sensor, "assets/sensors.csv")]
        for (kind, file) in assets {
            // Lenient: the sample files carry deliberately bad rows, which are left out.
            _ = try builder.importAssets(path: directory + "/" + file, kind: kind, options: AssetImportOptions())
        }
        // The sample events, for GET /v1/search (lenient: the deliberately bad rows are left out).
        _ = try EventStore.importEvents(csv: directory + "/events.csv", into: path)
        return Built(path: path, district: district)
    }

    /// The twin kind of a sample layer and its parent-code property (as `twin-tool demo` imports it).
    static func kind(of layer: SampleLayer) -> (GridLayerKind, String?) {
        switch layer.kind {
        case .department: (.department, nil)
        case .hierarchy(.jiezhen): (.subdistrict, nil)
        case .hierarchy(.pianqu): (.managementArea, "parent_code")
        case .hierarchy(.jucun): (.community, "parent_code")
        case .hierarchy(.unit): (.unitGrid, "parent_code")
        }
    }
}
