// orient2d's sign against an exact integer reference computed here, independently of the
// implementation: each double is decomposed into significand × 2^exponent and scaled to an
// exact Int128, where the determinant is evaluated without rounding.
import Testing
@testable import TwinIndex

/// `x · 2^scale` as an exact Int128; requires it to be an integer that fits (checked).
private func scaledInteger(_ x: Double, scale: Int) -> Int128 {
    if x == 0 { return 0 }
    let significand = Int128(x.significandBitPattern | (1 << 52))  // normal numbers only here
    let shift = Int(x.exponent) - 52 + scale
    precondition(shift < 70, "test value too large for the reference")
    // A negative shift drops only zero bits, or the value is not a multiple of 2^-scale.
    precondition(shift >= 0 || significand & ((1 << -shift) - 1) == 0, "test value finer than 2^-scale")
    let magnitude = shift >= 0 ? significand << shift : significand >> -shift
    return x < 0 ? -magnitude : magnitude
}

private func referenceSign(_ p: [Double], scale: Int) -> Int {
    let v = p.map { scaledInteger($0, scale: scale) }
    let det = (v[0] - v[4]) * (v[3] - v[5]) - (v[1] - v[5]) * (v[2] - v[4])
    return det > 0 ? 1 : (det < 0 ? -1 : 0)
}

@Test func shewchukNearCollinearGrid() {
    // Shewchuk's classic: points (0.5 + i·ulp, 0.5 + j·ulp) against the line (12,12)–(24,24).
    // Naive floating point gets a scrambled picture here; the exact sign is a clean diagonal.
    let ulp = 0.5.ulp
    var wrong = 0, zeros = 0, naiveWrong = 0
    for i in 0 ..< 128 {
        for j in 0 ..< 128 {
            let px = 0.5 + Double(i) * ulp, py = 0.5 + Double(j) * ulp
            let p = [px, py, 12, 12, 24, 24]
            let expected = referenceSign(p, scale: 54)
            if LocatorPredicates.orient2d(px, py, 12, 12, 24, 24) != expected { wrong += 1 }
            if LocatorPredicates.orient2dExact(px, py, 12, 12, 24, 24) != expected { wrong += 1 }
            if expected == 0 { zeros += 1 }
            let naive = (px - 24) * (12 - 24) - (py - 24) * (12 - 24)
            if (naive > 0 ? 1 : (naive < 0 ? -1 : 0)) != expected { naiveWrong += 1 }
        }
    }
    #expect(wrong == 0)
    #expect(zeros == 128, "exactly the diagonal i == j is collinear")
    #expect(naiveWrong > 0, "the case is nasty enough to defeat plain floating point")
}

@Test func randomNearCollinearTriplesMatchExactReference() {
    var rng = LocatorTestRandom(seed: 2024)
    var wrong = 0, nonZero = 0
    // Vertices on a 2⁻³⁰ lattice below 2⁸ and t = k/8 make c = a + (b − a)·t exact (collinear);
    // then c.x is nudged by −2…2 units of 2⁻⁴⁰. Everything stays a multiple of 2⁻⁴⁰, so the
    // 2⁴⁰-scaled reference is exact.
    func snap(_ v: Double) -> Double { (v * 0x1p30).rounded() * 0x1p-30 }
    for _ in 0 ..< 20_000 {
        let ax = snap(rng.unit() * 200), ay = snap(rng.unit() * 200)
        let bx = snap(rng.unit() * 200), by = snap(rng.unit() * 200)
        let t = Double(Int(rng.next() % 17) - 4) / 8
        let nudge = Double(Int(rng.next() % 5) - 2) * 0x1p-40
        let cx = ax + (bx - ax) * t + nudge, cy = ay + (by - ay) * t
        for p in [[ax, ay, bx, by, cx, cy], [cx, cy, ax, ay, bx, by], [bx, by, cx, cy, ax, ay]] {
            let expected = referenceSign(p, scale: 40)
            if expected != 0 { nonZero += 1 }
            if LocatorPredicates.orient2d(p[0], p[1], p[2], p[3], p[4], p[5]) != expected { wrong += 1 }
            if LocatorPredicates.orient2dExact(p[0], p[1], p[2], p[3], p[4], p[5]) != expected { wrong += 1 }
        }
    }
    #expect(wrong == 0)
    #expect(nonZero > 30_000 && nonZero < 55_000, "a mix of collinear and barely non-collinear cases")
}

@Test func lonLatScaleCollinearity() {
    // Points on a segment between Shanghai-scale coordinates, computed in floating point, are
    // off the line by a fraction of an ulp: the exact sign must match the reference.
    var rng = LocatorTestRandom(seed: 8)
    var wrong = 0
    for _ in 0 ..< 5_000 {
        let ax = 121.35 + rng.unit() * 0.1, ay = 31.2 + rng.unit() * 0.08
        let bx = 121.35 + rng.unit() * 0.1, by = 31.2 + rng.unit() * 0.08
        let t = rng.unit()
        let cx = ax + (bx - ax) * t, cy = ay + (by - ay) * t
        let p = [ax, ay, bx, by, cx, cy]
        if LocatorPredicates.orient2d(ax, ay, bx, by, cx, cy) != referenceSign(p, scale: 48) { wrong += 1 }
    }
    #expect(wrong == 0)
}

@Test func onSegmentIsExact() {
    #expect(LocatorPredicates.isOnSegment(1, 1, 0, 0, 2, 2))
    #expect(LocatorPredicates.isOnSegment(0, 0, 0, 0, 2, 2))
    #expect(!LocatorPredicates.isOnSegment(3, 3, 0, 0, 2, 2))
    #expect(!LocatorPredicates.isOnSegment(1, 1.0.nextUp, 0, 0, 2, 2))
    #expect(LocatorPredicates.isOnSegment(0.5, 0.5, 0.5, 0.5, 0.5, 0.5))
    // 0.1 + 0.2 style: (0.3, 0.3) is exactly on y = x, (0.1 + 0.2, 0.3) is not.
    #expect(LocatorPredicates.isOnSegment(0.3, 0.3, 0, 0, 1, 1))
    #expect(!LocatorPredicates.isOnSegment(0.1 + 0.2, 0.3, 0, 0, 1, 1))
}
