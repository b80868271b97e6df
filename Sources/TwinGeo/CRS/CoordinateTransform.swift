/// A conversion of positions from one ``CRS`` to another.
///
/// GCJ-02 and BD-09 are computed in Swift (``GCJ02``, ``BD09``) and composed through WGS84;
/// EPSG systems go through PROJ with lon/lat axis order (x = longitude, y = latitude, as
/// everywhere in TwinGeo). WGS84 and CGCS2000 are treated as equal: they differ by a few
/// centimetres in Shanghai, below the accuracy of the grids (DESIGN.md), and PROJ itself only has
/// a "ballpark" (identity) operation between EPSG:4326 and EPSG:4490.
///
/// A `CoordinateTransform` is a small `Sendable` value; use it from any thread. The PROJ objects
/// behind it live in a per-thread cache (one PROJ context per thread), so the first use on a
/// thread costs a few milliseconds and later uses none.
///
/// ```swift
/// let toGK = try CoordinateTransform(from: .gcj02, to: .epsg(4549))
/// let p = try toGK.transform(Coordinate(121.4737, 31.2304))
/// ```
public struct CoordinateTransform: Hashable, Sendable {
    /// The CRS of the input positions.
    public let source: CRS
    /// The CRS of the output positions.
    public let target: CRS
    private let steps: [Step]

    /// One stage of the pipeline. PROJ stages carry PROJ's CRS strings.
    private enum Step: Hashable, Sendable {
        case gcj02ToWGS84, wgs84ToGCJ02, bd09ToWGS84, wgs84ToBD09, gcj02ToBD09, bd09ToGCJ02
        case proj(source: String, target: String)
    }

    /// Plans the conversion and, when PROJ is involved, builds the PROJ transformation on the
    /// calling thread so that unknown codes fail here rather than on first use.
    ///
    /// - Parameters:
    ///   - source: the CRS of the input positions.
    ///   - target: the CRS wanted.
    /// - Throws: `CRSError` naming an EPSG code PROJ does not know (e.g. `unknown CRS EPSG:999999`)
    ///   or with PROJ's message when it cannot relate the two systems.
    public init(from source: CRS, to target: CRS) throws {
        self.source = source
        self.target = target
        self.steps = Self.plan(source, target)
        for case .proj(let s, let t) in steps {
            _ = try PROJContext.current().transformation(from: s, to: t)
        }
    }

    private static func plan(_ source: CRS, _ target: CRS) -> [Step] {
        switch (source, target) {
        case _ where source == target: return []
        // BD-09 is defined on GCJ-02: convert directly, not through WGS84 and back.
        case (.gcj02, .bd09): return [.gcj02ToBD09]
        case (.bd09, .gcj02): return [.bd09ToGCJ02]
        default: break
        }
        var steps: [Step] = []
        var from = source
        switch source {
        case .gcj02: steps.append(.gcj02ToWGS84); from = .wgs84
        case .bd09: steps.append(.bd09ToWGS84); from = .wgs84
        case .wgs84, .cgcs2000, .epsg: break
        }
        var to = target
        var last: Step?
        switch target {
        case .gcj02: last = .wgs84ToGCJ02; to = .wgs84
        case .bd09: last = .wgs84ToBD09; to = .wgs84
        case .wgs84, .cgcs2000, .epsg: break
        }
        let bothGeographic = from.isWGS84OrCGCS2000 && to.isWGS84OrCGCS2000
        if from != to && !bothGeographic {
            steps.append(.proj(source: from.projName, target: to.projName))
        }
        if let last { steps.append(last) }
        return steps
    }

    /// Whether positions pass through unchanged (same CRS, or WGS84 ↔ CGCS2000).
    public var isIdentity: Bool { steps.isEmpty }

    /// Transforms one position.
    ///
    /// - Throws: `CRSError` if the position is not finite or PROJ cannot transform it (for
    ///   instance a latitude beyond 90°); the message gives the position.
    public func transform(_ c: Coordinate) throws -> Coordinate {
        var x = c.x, y = c.y
        do {
            try withUnsafeMutablePointer(to: &x) { px in
                try withUnsafeMutablePointer(to: &y) { py in
                    try run(x: px, y: py, count: 1)
                }
            }
        } catch let failure as CRSPointFailure {
            throw CRSError("cannot transform (\(c.x), \(c.y)) from \(source) to \(target): \(failure.reason)")
        }
        return Coordinate(x, y)
    }

    /// Transforms positions given as parallel arrays, in place.
    ///
    /// The arrays are changed only when every position succeeds.
    ///
    /// - Parameters:
    ///   - xs: longitudes or eastings; replaced by the transformed values.
    ///   - ys: latitudes or northings, as many as `xs`.
    /// - Throws: `CRSError` naming the index of the first non-finite input or of the first
    ///   position PROJ fails on, or when the counts differ.
    /// - Complexity: O(n), one PROJ call per PROJ stage for the whole batch.
    public func transform(xs: inout [Double], ys: inout [Double]) throws {
        guard xs.count == ys.count else {
            throw CRSError("transform: \(xs.count) x values but \(ys.count) y values")
        }
        var outX = xs, outY = ys
        do {
            try outX.withUnsafeMutableBufferPointer { bx in
                try outY.withUnsafeMutableBufferPointer { by in
                    guard let px = bx.baseAddress, let py = by.baseAddress else { return }  // empty
                    try run(x: px, y: py, count: bx.count)
                }
            }
        } catch let failure as CRSPointFailure {
            // The inputs are intact here (only the copies were changed): name the value too.
            let i = failure.index
            throw CRSError("cannot transform position \(i) (\(xs[i]), \(ys[i])) from \(source) to \(target): \(failure.reason)")
        }
        xs = outX
        ys = outY
    }

    /// Transforms positions given as parallel buffers, in place (the batch form for C callers
    /// and large arrays: no copy, no allocation).
    ///
    /// Non-finite inputs are found before anything is changed. If PROJ then fails on a
    /// position, the buffers hold partly transformed values.
    ///
    /// - Throws: `CRSError` naming the index of the first non-finite input or of the first
    ///   position PROJ fails on, or when the counts differ.
    /// - Complexity: O(n).
    public func transform(xs: UnsafeMutableBufferPointer<Double>, ys: UnsafeMutableBufferPointer<Double>) throws {
        guard xs.count == ys.count else {
            throw CRSError("transform: \(xs.count) x values but \(ys.count) y values")
        }
        guard let px = xs.baseAddress, let py = ys.baseAddress else { return }  // empty
        do {
            try run(x: px, y: py, count: xs.count)
        } catch let failure as CRSPointFailure {
            let value = failure.value.map { " (\($0.x), \($0.y))" } ?? ""
            throw CRSError("cannot transform position \(failure.index)\(value) from \(source) to \(target): \(failure.reason)")
        }
    }

    /// Transforms every position of a geometry.
    ///
    /// - Throws: `CRSError` naming the position (in `forEachCoordinate` order) that is not
    ///   finite or that PROJ cannot transform.
    public func transform(_ geometry: Geometry) throws -> Geometry {
        if isIdentity {
            try Self.checkFinite(geometry)
            return geometry
        }
        var xs: [Double] = [], ys: [Double] = []
        geometry.forEachCoordinate { xs.append($0.x); ys.append($0.y) }
        try transform(xs: &xs, ys: &ys)
        var i = 0
        return geometry.mapCoordinates { _ in
            defer { i += 1 }
            return Coordinate(xs[i], ys[i])
        }
    }

    private static func checkFinite(_ geometry: Geometry) throws {
        var i = 0
        try geometry.forEachCoordinate { c in
            guard c.isFinite else {
                throw CRSError("cannot transform position \(i) (\(c.x), \(c.y)): coordinate is not finite")
            }
            i += 1
        }
    }

    /// Runs every stage over the buffers, after checking all inputs are finite.
    private func run(x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, count: Int) throws {
        for i in 0..<count where !(x[i].isFinite && y[i].isFinite) {
            throw CRSPointFailure(index: i, reason: "coordinate is not finite", value: Coordinate(x[i], y[i]))
        }
        for step in steps {
            switch step {
            case .gcj02ToWGS84: Self.apply(GCJ02.toWGS84, x, y, count)
            case .wgs84ToGCJ02: Self.apply(GCJ02.fromWGS84, x, y, count)
            case .bd09ToWGS84: Self.apply(BD09.toWGS84, x, y, count)
            case .wgs84ToBD09: Self.apply(BD09.fromWGS84, x, y, count)
            case .gcj02ToBD09: Self.apply(BD09.fromGCJ02, x, y, count)
            case .bd09ToGCJ02: Self.apply(BD09.toGCJ02, x, y, count)
            case .proj(let s, let t):
                let transformation = try PROJContext.current().transformation(from: s, to: t)
                try transformation.forward(x: x, y: y, count: count)
            }
        }
    }

    private static func apply(_ f: (Coordinate) -> Coordinate, _ x: UnsafeMutablePointer<Double>,
                              _ y: UnsafeMutablePointer<Double>, _ count: Int) {
        for i in 0..<count {
            let c = f(Coordinate(x[i], y[i]))
            x[i] = c.x
            y[i] = c.y
        }
    }
}

extension CRS {
    /// The string PROJ resolves for this CRS (`EPSG:n`). GCJ-02 and BD-09 have none: they are
    /// converted to WGS84 in Swift before PROJ is reached.
    fileprivate var projName: String {
        switch self {
        case .wgs84, .gcj02, .bd09: "EPSG:4326"
        case .cgcs2000: "EPSG:4490"
        case .epsg(let code): "EPSG:\(code)"
        }
    }

    fileprivate var isWGS84OrCGCS2000: Bool {
        switch self {
        case .wgs84, .cgcs2000: true
        case .gcj02, .bd09, .epsg: false
        }
    }
}
