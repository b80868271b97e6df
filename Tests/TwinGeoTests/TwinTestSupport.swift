import Foundation
import Testing
@testable import TwinGeo

/// Twins built from ``GridFixture`` (1 km² district: 36 unit cells, 4 居村, 2 街镇, and three
/// department grids whose boundaries disagree by 0.6–1 m or run diagonally).
enum TwinFixture {
    typealias F = GridFixture

    /// The dispatch rules of the fixture twins.
    static let rules = ["治安": "警务", "绿化": "绿容", "矛盾纠纷": "综治", "市容": "单元网格"]

    /// 2025-03-01T00:00:00Z.
    static let march2025 = Date(timeIntervalSince1970: 1_740_787_200)

    /// Writes a twin of `layers` (one version each), with the fixture rules for the layers it has, merged.
    static func build(at path: String, layers: [GridLayer] = F.allLayers) throws {
        let builder = try TwinBuilder.create(at: path)
        for layer in layers { try builder.importLayer(layer, sourceFile: "\(layer.name).geojson") }
        let names = Set(layers.map(\.name))
        try builder.setDispatchRules(rules.filter { names.contains($0.value) })
        try builder.merge()
    }

    /// One merged twin of every fixture layer, written once per test run (the merge is the slow part).
    static let shared: Result<(path: String, twin: Twin), any Error> = Result {
        try FileManager.default.createDirectory(atPath: sharedDirectory, withIntermediateDirectories: true)
        // Static values are never deinitialised: remove the folder when the test process ends.
        atexit { try? FileManager.default.removeItem(atPath: TwinFixture.sharedDirectory) }
        let path = sharedDirectory + "/district.twin.gpkg"
        try build(at: path)
        return (path, try Twin.open(path))
    }

    static let sharedDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("twingeo-twin-\(UUID().uuidString)").path

    static func sharedTwin() throws -> (path: String, twin: Twin) { try shared.get() }

    /// The half-open crossing parity of `geometry` at `p` (exact for the axis-parallel lines the
    /// boundary points lie on): whether the boundary rule gives `p` to this cell.
    static func halfOpenContains(_ geometry: MultiPolygon, _ p: Coordinate) -> Bool {
        var inside = false
        for polygon in geometry.polygons {
            for ring in polygon.rings {
                for i in 0 ..< ring.count - 1 {
                    var a = ring[i], b = ring[i + 1]
                    if a.y > b.y { swap(&a, &b) }
                    guard (a.y > p.y) != (b.y > p.y) else { continue }
                    if (a.x - p.x) * (b.y - p.y) - (a.y - p.y) * (b.x - p.x) >= 0 { inside.toggle() }
                }
            }
        }
        return inside
    }
}
