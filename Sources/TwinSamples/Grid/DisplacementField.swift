#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A department's smooth misalignment: how far, in metres, the department drew each road.
///
/// `d(x, y) = taper(x, y) · m(x, y) · (cos θ(x, y), sin θ(x, y))` with a magnitude
/// `m = 6 + 22 · (0.5 + 0.5 · s)`, `s ∈ [-1, 1]` a blend of two low-frequency sines
/// (wavelengths 1.5–4 km), so `m ∈ [6, 28]` m, and a direction `θ` that turns slowly across the
/// district. The taper is a smoothstep from 0 on the district outline to 1 at
/// ``taperDistance`` metres inside it: every department clips its grid to the official
/// district boundary, so the outline is shared exactly and the layer still covers the district
/// with no gap or overlap. The field's gradient stays below 0.2, so it never folds a cell over.
struct DisplacementField {
    /// Distance from the outline (metres) beyond which the full displacement applies.
    static let taperDistance = 250.0

    private let phase: [Double]
    private let wave: [Double]
    private let baseAngle: Double

    init(rng base: SplitMix64) {
        var rng = base
        phase = (0..<6).map { _ in rng.uniform(0, 2 * .pi) }
        wave = (0..<6).map { _ in rng.uniform(1500, 4000) }
        baseAngle = rng.uniform(0, 2 * .pi)
    }

    /// The displacement at a metric position `distanceToOutline` metres inside the district.
    func offset(x: Double, y: Double, distanceToOutline: Double) -> (dx: Double, dy: Double) {
        let s = 0.6 * sin(2 * .pi * x / wave[0] + phase[0]) + 0.4 * sin(2 * .pi * (x + y) / wave[1] + phase[1])
        let magnitude = 6 + 22 * (0.5 + 0.5 * s)
        let theta = baseAngle + 1.2 * sin(2 * .pi * y / wave[2] + phase[2]) + 0.8 * sin(2 * .pi * (x - y) / wave[3] + phase[3])
        let t = min(1, max(0, distanceToOutline / DisplacementField.taperDistance))
        let taper = t * t * (3 - 2 * t)
        return (taper * magnitude * cos(theta), taper * magnitude * sin(theta))
    }
}

/// Distances from lattice vertices to the district outline, capped at the taper distance.
enum OutlineDistance {
    /// - Parameters:
    ///   - outline: the outline ring (vertex ids, open).
    /// - Returns: per vertex, its distance in metres to the nearest outline segment, or
    ///   ``DisplacementField/taperDistance`` when farther (or the vertex is unused).
    static func compute(_ lattice: RoadLattice, outline: [Int32]) -> [Double] {
        let cap = DisplacementField.taperDistance
        let cell = cap
        var buckets: [Int64: [Int]] = [:]
        func key(_ cx: Int, _ cy: Int) -> Int64 { Int64(cx) << 32 | Int64(UInt32(bitPattern: Int32(cy))) }
        let n = outline.count
        for k in 0..<n {
            let a = Int(outline[k]), b = Int(outline[(k + 1) % n])
            let x0 = Int((min(lattice.x[a], lattice.x[b]) / cell).rounded(.down))
            let x1 = Int((max(lattice.x[a], lattice.x[b]) / cell).rounded(.down))
            let y0 = Int((min(lattice.y[a], lattice.y[b]) / cell).rounded(.down))
            let y1 = Int((max(lattice.y[a], lattice.y[b]) / cell).rounded(.down))
            for cx in x0...x1 { for cy in y0...y1 { buckets[key(cx, cy), default: []].append(k) } }
        }
        var result = Array(repeating: cap, count: lattice.vertexCount)
        for v in 0..<lattice.vertexCount {
            let px = lattice.x[v], py = lattice.y[v]
            let cx = Int((px / cell).rounded(.down)), cy = Int((py / cell).rounded(.down))
            var best = cap
            for gx in (cx - 1)...(cx + 1) {
                for gy in (cy - 1)...(cy + 1) {
                    guard let segs = buckets[key(gx, gy)] else { continue }
                    for k in segs {
                        let a = Int(outline[k]), b = Int(outline[(k + 1) % n])
                        best = min(best, segmentDistance(px, py, lattice.x[a], lattice.y[a], lattice.x[b], lattice.y[b]))
                    }
                }
            }
            result[v] = best
        }
        return result
    }

    static func segmentDistance(_ px: Double, _ py: Double, _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Double {
        let dx = bx - ax, dy = by - ay
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0
        t = min(1, max(0, t))
        let qx = ax + t * dx - px, qy = ay + t * dy - py
        return (qx * qx + qy * qy).squareRoot()
    }
}
