#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable byte buffer for formatting loops that write millions of records: the caller
/// reserves room for a whole record once (``reserve(_:)``), then writes bytes without a
/// capacity or uniqueness check per byte (`[UInt8].append` pays both on every call).
///
/// Owned by one thread at a time; freed in `deinit`.
final class CSVByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes written.
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for at least `n` more bytes.
    @inline(__always)
    func reserve(_ n: Int) {
        if count &+ n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte; room must have been reserved.
    @inline(__always)
    func put(_ b: UInt8) {
        base[count] = b
        count &+= 1
    }

    /// Appends `n` bytes from `source`; room must have been reserved.
    @inline(__always)
    func put(_ source: UnsafePointer<UInt8>, _ n: Int) {
        memcpy(base + count, source, n)
        count &+= n
    }

    /// Appends `bytes` (reserving room).
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        put(source, bytes.count)
    }

    /// Appends the bytes of an array (reserving room).
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends one field, quoted per RFC 4180 when it contains `delimiter`, a quote, CR or LF
    /// (reserving room).
    func appendField(_ field: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        var needsQuotes = false
        for b in field where b == delimiter || b == 0x22 || b == 0x0D || b == 0x0A {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return append(field) }
        reserve(2 * field.count + 2)
        put(0x22)
        for b in field {
            if b == 0x22 { put(0x22) }
            put(b)
        }
        put(0x22)
    }

    /// The bytes written.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
