/// An axis-aligned box of `Double` coordinates, closed on every side.
///
/// Closed means that boxes which only touch (share an edge or a corner) intersect, and
/// a zero-area box (a point, or a horizontal or vertical line) is a valid box. The
/// R-tree stores nothing but these four numbers per item; what an item *is* (a point, a
/// segment, a polygon) is the caller's business, reached through the item index.
public struct IndexBox: Sendable, Hashable {
    /// The west edge.
    public var minX: Double
    /// The south edge.
    public var minY: Double
    /// The east edge.
    public var maxX: Double
    /// The north edge.
    public var maxY: Double

    /// Creates a box from its four edges. No check is made here; the tree builder and
    /// ``DynamicRTree`` check what they store, and queries with a malformed box (NaN or
    /// `min > max`) simply find nothing.
    @inlinable
    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The zero-area box of one point.
    @inlinable
    public init(x: Double, y: Double) {
        self.init(minX: x, minY: y, maxX: x, maxY: y)
    }

    /// Whether the two closed boxes share at least one point (touching counts).
    @inlinable
    public func intersects(_ other: IndexBox) -> Bool {
        other.minX <= maxX && other.minY <= maxY && other.maxX >= minX && other.maxY >= minY
    }

    /// Whether the point lies in the closed box (on the edge counts).
    @inlinable
    public func contains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }

    /// The squared Euclidean distance from the point to the nearest point of the box;
    /// zero when the point is inside or on the edge.
    @inlinable
    public func distanceSquared(toX x: Double, y: Double) -> Double {
        let dx = x < minX ? minX - x : (x > maxX ? x - maxX : 0)
        let dy = y < minY ? minY - y : (y > maxY ? y - maxY : 0)
        return dx * dx + dy * dy
    }

    /// The Euclidean distance from the point to the nearest point of the box.
    @inlinable
    public func distance(toX x: Double, y: Double) -> Double {
        distanceSquared(toX: x, y: y).squareRoot()
    }
}

extension IndexBox: CustomStringConvertible {
    /// `[minX minY, maxX maxY]`, the order in which the fields are declared.
    public var description: String { "[\(minX) \(minY), \(maxX) \(maxY)]" }
}

extension IndexBox {
    /// Checks that a box can be stored in an index: four finite numbers, `min <= max` on
    /// both axes. Returns what is wrong, or `nil`.
    @usableFromInline
    static func rtreeProblem(minX: Double, minY: Double, maxX: Double, maxY: Double) -> RTreeError.Kind? {
        if !minX.isFinite || !minY.isFinite || !maxX.isFinite || !maxY.isFinite {
            return .nonFiniteCoordinate
        }
        if minX > maxX || minY > maxY { return .invertedBox }
        return nil
    }
}
