#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small hash table keyed by byte strings, looked up straight from a field's bytes: the
/// per-row CRS names and event categories of a CSV are resolved without making a `String` (an
/// allocation and a UTF-8 validation) for every row.
///
/// Open addressing over a power-of-two slot array; keys live back to back in one arena.
struct ByteKeyTable<Value> {
    private var arena: [UInt8] = []
    private var keyStarts: [Int] = []
    private var keyCounts: [Int] = []
    private var hashes: [UInt64] = []
    private var values: [Value] = []
    /// Entry index + 1 per slot; 0 = empty.
    private var slots = [Int32](repeating: 0, count: 16)

    init() {}

    /// The number of keys.
    var count: Int { values.count }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// The value stored for `key`, or `nil`.
    @inline(__always)
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        let h = Self.hash(key)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s]) - 1
            if e < 0 { return nil }
            if hashes[e] == h, keyCounts[e] == key.count, equal(e, key) { return values[e] }
            s = (s + 1) & mask
        }
    }

    private func equal(_ e: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let k = key.baseAddress, !key.isEmpty else { return true }
        return arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + keyStarts[e], k, key.count) == 0 }
    }

    /// Stores `value` for `key` (replacing an earlier value).
    mutating func set(_ key: UnsafeBufferPointer<UInt8>, _ value: Value) {
        let h = Self.hash(key)
        var mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s]) - 1
            if e < 0 { break }
            if hashes[e] == h, keyCounts[e] == key.count, equal(e, key) {
                values[e] = value
                return
            }
            s = (s + 1) & mask
        }
        keyStarts.append(arena.count)
        keyCounts.append(key.count)
        arena.append(contentsOf: key)
        hashes.append(h)
        values.append(value)
        // Keep the load factor at most 1/2, so probes stay short.
        if values.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for e in values.indices {
                var t = Int(truncatingIfNeeded: hashes[e]) & mask
                while slots[t] != 0 { t = (t + 1) & mask }
                slots[t] = Int32(e + 1)
            }
        } else {
            slots[s] = Int32(values.count)
        }
    }

    /// Stores `value` for the UTF-8 bytes of `key`.
    mutating func set(_ key: String, _ value: Value) {
        var k = key
        k.withUTF8 { set($0, value) }
    }
}

extension ByteKeyTable: Sendable where Value: Sendable {}
