import NIOCore

/// Appends JSON text to a `ByteBuffer` without Foundation: the hot path of every answer.
///
/// Foundation's `JSONEncoder` builds a tree and a `String` per value; the dispatch answers are a
/// fixed shape whose cell and building parts are pre-encoded once per twin (``TwinSnapshot``), so
/// writing bytes directly is both simpler and several times faster.
struct JSONOutput {
    /// The bytes written so far.
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Writes bytes that are already JSON (a literal or a pre-encoded fragment).
    @inline(__always) mutating func raw(_ text: StaticString) { buffer.writeStaticString(text) }

    /// Writes pre-encoded JSON bytes.
    @inline(__always) mutating func raw(_ bytes: [UInt8]) { buffer.writeBytes(bytes) }

    /// Writes `value` as a JSON string (quotes, escapes per RFC 8259 §7).
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { JSONOutput.appendString($0, to: &buffer) }
    }

    /// Writes a JSON string from UTF-8 bytes (already valid UTF-8).
    static func appendString(_ utf8: UnsafeBufferPointer<UInt8>, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var start = 0
        for i in 0 ..< utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if start < i { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[start ..< i])) }
            switch b {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hex[Int(b >> 4)])
                buffer.writeInteger(hex[Int(b & 0xF)])
            }
            start = i + 1
        }
        if start < utf8.count { buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[start...])) }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes an integer.
    @inline(__always) mutating func integer(_ value: Int) {
        JSONOutput.appendInteger(value, to: &buffer)
    }

    static func appendInteger(_ value: Int, to buffer: inout ByteBuffer) {
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // At most 20 digits; filled from the right.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    /// Writes a finite double in Swift's shortest round-trip form (`null` for a non-finite one,
    /// which JSON cannot carry).
    mutating func number(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int(value))
        } else {
            buffer.writeString(value.description)
        }
    }

    /// Writes a distance in metres rounded to 0.1 m (the precision a dispatcher needs; shorter
    /// than the full double and cheaper to format).
    mutating func metres(_ value: Double) {
        guard value.isFinite else { raw("null"); return }
        let tenths = Int((value * 10).rounded())
        integer(tenths / 10)
        buffer.writeInteger(UInt8(ascii: "."))
        buffer.writeInteger(UInt8(ascii: "0") + UInt8(abs(tenths % 10)))
    }

    /// The JSON text of `value` as bytes (a string literal with escapes).
    static func encodedString(_ value: String) -> [UInt8] {
        var out = JSONOutput(capacity: value.utf8.count + 2)
        out.string(value)
        return Array(out.buffer.readableBytesView)
    }
}
