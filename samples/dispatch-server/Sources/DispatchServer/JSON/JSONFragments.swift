import NIOCore

/// Pre-encoded JSON fragments in one block of memory, written into answers by index.
///
/// A snapshot holds tens of thousands of fragments (every cell's `{"code","name","version"}`,
/// every building, camera and sensor id). As `[[UInt8]]` each write retained and released an
/// array, and the reference counts of arrays shared by every request-handling thread are the
/// most contended memory in the process; here a write is two loads and a `memcpy`. Immutable
/// after ``init(_:)``, so it is safe to share between threads.
final class JSONFragments: @unchecked Sendable {
    private let bytes: UnsafeMutablePointer<UInt8>
    /// `count + 1` offsets: fragment `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private let starts: UnsafeMutablePointer<Int>
    /// The number of fragments.
    let count: Int

    /// Copies `fragments` (each already valid JSON text) into one block.
    init(_ fragments: [[UInt8]]) {
        count = fragments.count
        let total = fragments.reduce(0) { $0 + $1.count }
        bytes = .allocate(capacity: max(1, total))
        starts = .allocate(capacity: count + 1)
        var at = 0
        for (i, f) in fragments.enumerated() {
            starts[i] = at
            if !f.isEmpty { f.withUnsafeBufferPointer { (bytes + at).update(from: $0.baseAddress!, count: f.count) } }
            at += f.count
        }
        starts[count] = at
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
    }

    /// Fragment `i`'s bytes (valid while this table lives).
    @inline(__always) func bytes(_ i: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + starts[i], count: starts[i + 1] - starts[i])
    }

    /// Appends fragment `i` to `out`.
    @inline(__always) func write(_ i: Int, into out: inout JSONOutput) {
        out.raw(bytes(i))
    }
}
