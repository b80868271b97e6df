/// Why a ``PartitionLocator`` could not be built, or a batch call was refused.
///
/// Every case names the place: the cell index (as returned by `PartitionLocator.Builder.addCell`),
/// the ring index within that cell, and the vertex index where one is known.
public enum LocatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `finish` was called on a builder with no cells: a locator that always answers "none" is
    /// almost certainly a mistake upstream (an empty layer), so it is refused.
    case emptyPartition
    /// A cell was given no rings at all.
    case cellWithoutRings(cell: Int)
    /// A flat `[x0, y0, x1, y1, …]` ring had an odd number of values.
    case oddCoordinateCount(cell: Int, ring: Int, count: Int)
    /// A ring has fewer than three distinct vertices.
    case tooFewDistinctPoints(cell: Int, ring: Int, distinct: Int)
    /// A vertex coordinate is NaN or infinite.
    case nonFiniteCoordinate(cell: Int, ring: Int, vertex: Int)
    /// A vertex coordinate is outside the exactness domain of the predicates: its magnitude
    /// is above 2⁴⁸⁰ (≈ 1e144) or it is nonzero and below 2⁻⁴⁸⁰ (≈ 1e-144).
    case coordinateOutOfRange(cell: Int, ring: Int, vertex: Int, value: Double)
    /// All vertices of a ring are collinear, so the ring encloses nothing.
    case zeroAreaRing(cell: Int, ring: Int)
    /// The partition has more cells, or needs more index entries, than 32-bit codes and offsets
    /// can address.
    case tooLarge(entries: Int)
    /// A batch call was given coordinate and result buffers of different lengths.
    case batchSizeMismatch(xs: Int, ys: Int, results: Int)

    public var description: String {
        switch self {
        case .emptyPartition:
            return "partition has no cells"
        case let .cellWithoutRings(cell):
            return "cell \(cell): no rings"
        case let .oddCoordinateCount(cell, ring, count):
            return "cell \(cell), ring \(ring): \(count) coordinate values, expected an even count of x, y pairs"
        case let .tooFewDistinctPoints(cell, ring, distinct):
            return "cell \(cell), ring \(ring): \(distinct) distinct vertices, a ring needs at least 3"
        case let .nonFiniteCoordinate(cell, ring, vertex):
            return "cell \(cell), ring \(ring), vertex \(vertex): coordinate is NaN or infinite"
        case let .coordinateOutOfRange(cell, ring, vertex, value):
            return "cell \(cell), ring \(ring), vertex \(vertex): coordinate \(value) is outside the supported magnitude range (0 or 1e-144…1e144)"
        case let .zeroAreaRing(cell, ring):
            return "cell \(cell), ring \(ring): all vertices are collinear (zero-area ring)"
        case let .tooLarge(entries):
            return "partition too large: \(entries) cells or index entries exceed 32-bit codes and offsets"
        case let .batchSizeMismatch(xs, ys, results):
            return "batch locate: \(xs) x values, \(ys) y values and \(results) result slots must be equal"
        }
    }
}
