import Foundation
import TwinGeo

/// A 1 km × 1 km test district in western Shanghai, built in metres east/north of an origin and
/// converted to lon/lat by one fixed linear map (so equal metre values give bit-identical degrees).
///
/// Hierarchy: 2 街镇 (west/east halves) → 4 居村 (2 × 2 of 500 m) → 36 unit cells (6 × 6 blocks).
/// Departments (boundaries deliberately disagree so the overlay has slivers):
/// - 警务 police: 3 columns, its first boundary 1 m east of the 500 m line that the unit, 居村 and
///   街镇 layers share (so the strip between them disagrees with its eastern neighbour in 警务 only);
/// - 绿容 greening: 2 rows, its boundary 0.6 m south of the 500 m line of the unit and 居村 layers;
/// - 综治 governance: 2 cells split by a diagonal from (0, 100) to (1000, 850), which crosses the
///   block lines away from their corners (crossing points computed by the noding).
///
/// Overlay face areas (shapely, in fixture metres): slivers 0.6 … 166.7 m², the smallest proper
/// atomic cells 185.2 m² (diagonal corners), so a 175 m² threshold separates them.
enum GridFixture {
    static let lon0 = 121.40, lat0 = 31.23
    /// Degrees per metre (a local linear approximation; exactness does not matter, repeatability does).
    static let degreesPerMetreX = 1 / 95_200.0
    static let degreesPerMetreY = 1 / 110_900.0

    static func c(_ x: Double, _ y: Double) -> Coordinate {
        Coordinate(lon0 + x * degreesPerMetreX, lat0 + y * degreesPerMetreY)
    }

    /// A closed counter-clockwise ring through the metre positions.
    static func ring(_ points: [(Double, Double)]) -> [Coordinate] {
        let coordinates = points.map { c($0.0, $0.1) }
        return coordinates + [coordinates[0]]
    }

    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> MultiPolygon {
        MultiPolygon([Polygon(exterior: ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))])
    }

    /// Block lines at k·1000/6 m (k = 0…6); 3·1000/6 is exactly 500.
    static let lines = (0 ... 6).map { Double($0) * 1000 / 6 }

    static let subdistricts = GridLayer(name: "街镇", kind: .subdistrict, cells: [
        GridCell(code: "310107001", name: "West 街道", geometry: rect(0, 0, 500, 1000)),
        GridCell(code: "310107101", name: "East 镇", geometry: rect(500, 0, 1000, 1000)),
    ])

    /// 居村 codes by (column, row) of 500 m quarters, row 0 south.
    static func communityCode(column: Int, row: Int) -> String {
        switch (column, row) {
        case (0, 0): "310107001001"
        case (0, 1): "310107001002"
        case (1, 0): "310107101201"
        default: "310107101202"
        }
    }

    static let communities = GridLayer(name: "居村", kind: .community, cells: [
        GridCell(code: communityCode(column: 0, row: 0), geometry: rect(0, 0, 500, 500)),
        GridCell(code: communityCode(column: 0, row: 1), geometry: rect(0, 500, 500, 1000)),
        GridCell(code: communityCode(column: 1, row: 0), geometry: rect(500, 0, 1000, 500)),
        GridCell(code: communityCode(column: 1, row: 1), geometry: rect(500, 500, 1000, 1000)),
    ])

    /// Unit code of block (i east, j north): 居村 code + sequence numbered north→south, west→east
    /// within the 居村's 3 × 3 blocks.
    static func unitCode(_ i: Int, _ j: Int) -> String {
        let rowFromNorth = 2 - j % 3, column = i % 3
        let sequence = rowFromNorth * 3 + column + 1
        return communityCode(column: i / 3, row: j / 3) + "00\(sequence)"
    }

    /// The 36 unit cells, ordered by block (i, j) with j fastest.
    static let units = GridLayer(name: "单元网格", kind: .unitGrid, cells: (0 ..< 6).flatMap { i in
        (0 ..< 6).map { j in
            GridCell(code: unitCode(i, j), geometry: rect(lines[i], lines[j], lines[i + 1], lines[j + 1]))
        }
    })

    static let policeBoundary = lines[3] + 1.0
    static let police = GridLayer(name: "警务", kind: .department, cells: [
        GridCell(code: "P1", geometry: rect(0, 0, policeBoundary, 1000)),
        GridCell(code: "P2", geometry: rect(policeBoundary, 0, lines[4], 1000)),
        GridCell(code: "P3", geometry: rect(lines[4], 0, 1000, 1000)),
    ])

    static let greeningBoundary = 500 - 0.6
    static let greening = GridLayer(name: "绿容", kind: .department, cells: [
        GridCell(code: "G-south", geometry: rect(0, 0, 1000, greeningBoundary)),
        GridCell(code: "G-north", geometry: rect(0, greeningBoundary, 1000, 1000)),
    ])

    static let governance = GridLayer(name: "综治", kind: .department, cells: [
        GridCell(code: "Z1", geometry: MultiPolygon([Polygon(exterior: ring([(0, 0), (1000, 0), (1000, 850), (0, 100)]))])),
        GridCell(code: "Z2", geometry: MultiPolygon([Polygon(exterior: ring([(0, 100), (1000, 850), (1000, 1000), (0, 1000)]))])),
    ])

    static var allLayers: [GridLayer] { [units, communities, subdistricts, police, greening, governance] }

    /// A temporary file holding `text`, removed by the caller.
    static func temporaryFile(_ text: String, name: String = "layer.geojson") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("twingeo-grid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// A deterministic generator for test points (SplitMix64).
struct GridTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
