// Exact-sign geometric predicates for the point-in-partition locator.
//
// orient2d follows Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast Robust
// Geometric Predicates" (1997): a floating-point evaluation whose sign is trusted when the
// determinant exceeds a proven error bound, and otherwise an exact evaluation with
// expansion arithmetic (two-product via FMA, two-sum, grow-expansion).

/// Exact-sign orientation and on-segment tests over `Double` coordinates.
///
/// The answers are exact (the sign of the real-number determinant of the given doubles)
/// provided no intermediate product underflows or overflows: that holds whenever every
/// coordinate is 0 or has a magnitude in [2⁻⁴⁸⁰, 2⁴⁸⁰] (≈ 1e-144 … 1e144), which
/// ``PartitionLocator/Builder`` enforces for ring vertices.
public enum LocatorPredicates {
    /// Shewchuk's `ccwerrboundA`: (3 + 16ε)ε with ε = 2⁻⁵³.
    @usableFromInline static let orientErrorBound: Double = (3.0 + 16.0 * 0x1p-53) * 0x1p-53

    /// The sign of the orientation determinant of `a`, `b`, `c`.
    ///
    /// - Returns: +1 if `c` lies to the left of the directed line `a → b` (counter-clockwise
    ///   turn), -1 if to the right, 0 if the three points are exactly collinear.
    /// - Complexity: O(1); a handful of flops unless the points are nearly collinear.
    @inlinable @inline(__always)
    public static func orient2d(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                                _ cx: Double, _ cy: Double) -> Int {
        let detLeft = (ax - cx) * (by - cy)
        let detRight = (ay - cy) * (bx - cx)
        let det = detLeft - detRight
        let bound = orientErrorBound * (abs(detLeft) + abs(detRight))
        if det > bound { return 1 }
        if -det > bound { return -1 }
        return orient2dExact(ax, ay, bx, by, cx, cy)
    }

    /// The exact sign of the orientation determinant, without a floating-point filter.
    ///
    /// Expands `det = (ax·by − ay·bx) + (bx·cy − by·cx) + (cx·ay − cy·ax)` into twelve exact
    /// components (six error-free products), sums them into a non-overlapping expansion,
    /// and returns the sign of its largest component. Kept out of line: it runs only for
    /// nearly collinear inputs.
    @inline(never)
    public static func orient2dExact(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                                     _ cx: Double, _ cy: Double) -> Int {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 12) { e in
            var count = 0
            @inline(__always) func grow(_ value: Double) {
                // Grow-Expansion (Shewchuk, Fig. 7): adds `value` exactly to e[0..<count],
                // keeping the components non-overlapping and ordered by increasing magnitude.
                var q = value
                for i in 0..<count {
                    let (sum, err) = twoSum(q, e[i])
                    e[i] = err
                    q = sum
                }
                e[count] = q
                count += 1
            }
            @inline(__always) func addProduct(_ a: Double, _ b: Double, negated: Bool) {
                let (p, err) = twoProduct(a, b)
                grow(negated ? -err : err)
                grow(negated ? -p : p)
            }
            addProduct(ax, by, negated: false)
            addProduct(ay, bx, negated: true)
            addProduct(bx, cy, negated: false)
            addProduct(by, cx, negated: true)
            addProduct(cx, ay, negated: false)
            addProduct(cy, ax, negated: true)
            var i = count - 1
            while i >= 0 {
                if e[i] > 0 { return 1 }
                if e[i] < 0 { return -1 }
                i -= 1
            }
            return 0
        }
    }

    /// Whether `p` lies on the closed segment `a`–`b` (exactly collinear and inside its box).
    ///
    /// - Returns: `true` for the endpoints themselves; for a zero-length segment, `true` only at that point.
    @inlinable
    public static func isOnSegment(_ px: Double, _ py: Double,
                                   _ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) -> Bool {
        guard px >= min(ax, bx), px <= max(ax, bx), py >= min(ay, by), py <= max(ay, by) else { return false }
        return orient2d(ax, ay, bx, by, px, py) == 0
    }

    /// Knuth's two-sum: `a + b == sum + err` exactly (round-to-nearest, no overflow).
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, err: Double) {
        let s = a + b
        let bVirtual = s - a
        let aVirtual = s - bVirtual
        return (s, (a - aVirtual) + (b - bVirtual))
    }

    /// Error-free product via fused multiply-add: `a * b == p + err` exactly (no underflow).
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (p: Double, err: Double) {
        let p = a * b
        return (p, (-p).addingProduct(a, b))
    }
}
