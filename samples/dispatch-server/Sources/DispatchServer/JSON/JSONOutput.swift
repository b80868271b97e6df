import NIOCore

/// Appends JSON text to a `ByteBuffer` without Foundation: the hot path of every answer.
///
/// Foundation's `JSONEncoder` builds a tree and a `String` per value; the dispatch answers are a
/// fixed shape whose cell and building parts are pre-encoded once per twin (``TwinSnapshot``), so
/// writing bytes directly is both simpler and several times faster.
///
/// The bytes go to memory of its own (not a `ByteBuffer`): an answer is ~100 small writes, and a
/// `ByteBuffer` write checks uniqueness and capacity through several calls each time; here a
/// write is one capacity test and a `memcpy`. ``buffer`` copies the result out once.
/// Non-copyable: it owns its memory, freed when it goes out of scope.
struct JSONOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The text written, as a `ByteBuffer` (a copy).
    var buffer: ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: count)
        out.writeBytes(UnsafeRawBufferPointer(start: base, count: count))
        return out
    }

    /// The text written, as bytes (a copy).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Makes room for `n` more bytes.
    @inline(__always) private mutating func reserve(_ n: Int) {
        if count &+ n > capacity { grow(n) }
    }

    private mutating func grow(_ n: Int) {
        let next = Swift.max(capacity &* 2, count &+ n)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: next)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = next
    }

    /// Writes bytes that are already JSON (a fragment, or text the caller vouches for).
    @inline(__always) mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: from.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count &+= bytes.count
    }

    /// Writes bytes that are already JSON (a literal).
    @inline(__always) mutating func raw(_ text: StaticString) {
        raw(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes pre-encoded JSON bytes.
    @inline(__always) mutating func raw(_ bytes: [UInt8]) { bytes.withUnsafeBytes { raw($0) } }

    /// Writes text that is already JSON (e.g. a GeoJSON geometry), as its UTF-8 bytes.
    mutating func rawText(_ text: String) {
        var text = text
        text.withUTF8 { raw(UnsafeRawBufferPointer($0)) }
    }

    /// Writes one byte.
    @inline(__always) mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count &+= 1
    }

    /// Writes `value` as a JSON string (quotes, escapes per RFC 8259 §7).
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { appendString($0) }
    }

    /// Writes a JSON string from UTF-8 bytes (already valid UTF-8).
    mutating func appendString(_ utf8: UnsafeBufferPointer<UInt8>) {
        byte(UInt8(ascii: "\""))
        var start = 0
        for i in 0 ..< utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if start < i { raw(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[start ..< i])) }
            switch b {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                let hex: StaticString = "0123456789abcdef"
                raw("\\u00")
                byte(hex.utf8Start[Int(b >> 4)])
                byte(hex.utf8Start[Int(b & 0xF)])
            }
            start = i + 1
        }
        if start < utf8.count { raw(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[start...])) }
        byte(UInt8(ascii: "\""))
    }

    /// Writes an integer.
    mutating func integer(_ value: Int) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // At most 20 digits; filled from the right.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var i = scratch.count
            repeat {
                i -= 1
                scratch[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            raw(UnsafeRawBufferPointer(rebasing: scratch[i...]))
        }
    }

    /// Writes a finite double in Swift's shortest round-trip form (`null` for a non-finite one,
    /// which JSON cannot carry).
    mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int(value))
        } else {
            rawText(value.description)
        }
    }

    /// Writes a distance in metres rounded to 0.1 m (the precision a dispatcher needs; shorter
    /// than the full double and cheaper to format).
    mutating func metres(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        let tenths = Int((value * 10).rounded())
        if tenths < 0 && tenths > -10 { byte(UInt8(ascii: "-")) }
        integer(tenths / 10)
        byte(UInt8(ascii: "."))
        byte(UInt8(ascii: "0") + UInt8(abs(tenths % 10)))
    }

    /// The JSON text of `value` as bytes (a string literal with escapes).
    static func encodedString(_ value: String) -> [UInt8] {
        var out = JSONOutput(capacity: value.utf8.count + 2)
        out.string(value)
        return out.bytes
    }
}
