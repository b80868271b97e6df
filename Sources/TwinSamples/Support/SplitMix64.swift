/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, well-mixed 64-bit generator.
///
/// The sample district never touches the system's randomness: every value comes from a
/// `SplitMix64` seeded from ``SampleDistrict/seed`` and a fixed label per concern
/// (``derived(_:)``), so that adding draws to one concern (say, cameras) does not change the
/// output of another (say, the road lattice).
public struct SplitMix64: Sendable, Hashable {
    /// The generator's whole state.
    public var state: UInt64

    /// A generator starting at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [lower, upper).
    @inlinable public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    /// A uniform integer in `range` (Lemire's multiply-shift; the bias is below 2^-32 for
    /// ranges of sample sizes, which is irrelevant for sample data and keeps it branch-free).
    @inlinable public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        if width == 0 { return Int(bitPattern: UInt(next())) }
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// `true` with probability `p`.
    @inlinable public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An element of a non-empty array.
    @inlinable public mutating func pick<T>(_ elements: [T]) -> T {
        elements[int(in: 0...(elements.count - 1))]
    }

    /// An index drawn with probability proportional to `weights` (all ≥ 0, sum > 0).
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var r = unit() * total
        for (i, w) in weights.enumerated() {
            if r < w { return i }
            r -= w
        }
        return weights.count - 1
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, int(in: 0...i))
        }
    }

    /// An independent generator for one concern: the seed mixed with a stable hash of `label`
    /// (FNV-1a over its UTF-8, not `Hasher`, which is randomly seeded per process).
    public func derived(_ label: String) -> SplitMix64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var mixer = SplitMix64(seed: state ^ h)
        return SplitMix64(seed: mixer.next())
    }
}
