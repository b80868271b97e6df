// Shared benchmark plumbing: a seeded RNG, a monotonic clock, and the ratio line.
import Dispatch
import Glibc

/// SplitMix64: deterministic across runs and platforms, so inputs are identical each run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seconds taken by `body`, best of `repeats` runs (the minimum is the least noisy estimate).
func bestTime(repeats: Int = 3, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<max(1, repeats) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed)
    }
    return best
}

/// This thread's CPU time in seconds.
func threadCPUNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Seconds of this thread's CPU time taken by `body`, best of `repeats` runs: on a machine shared
/// with other jobs wall time also counts the time the thread waited for a core, CPU time does not.
func bestThreadCPUTime(repeats: Int = 3, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<max(1, repeats) {
        let start = threadCPUNow()
        body()
        best = min(best, threadCPUNow() - start)
    }
    return best
}

/// Prints one comparison: ours and the baseline's time for `count` operations, and the ratio.
func report(_ name: String, count: Int, ours: Double, baseline: Double, baselineName: String) {
    func rate(_ t: Double) -> String {
        let perSecond = Double(count) / t
        return perSecond >= 1e6 ? "\(fmt(perSecond / 1e6)) M/s" : "\(fmt(perSecond / 1e3)) k/s"
    }
    let nsOurs = t2ns(ours, count), nsBase = t2ns(baseline, count)
    print("\(name): TwinIndex \(fmt(nsOurs)) ns/op (\(rate(ours))), \(baselineName) \(fmt(nsBase)) ns/op (\(rate(baseline))), ratio \(fmt(baseline / ours))x")
}

func t2ns(_ t: Double, _ count: Int) -> Double { t * 1e9 / Double(max(count, 1)) }

/// A number with 3 significant-ish decimals, without Foundation's String(format:).
func fmt(_ v: Double) -> String {
    if !v.isFinite { return "\(v)" }
    let scaled = (v * 100).rounded() / 100
    return "\(scaled)"
}
