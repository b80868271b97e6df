/// UTF-8 validation for CSV fields (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
enum CSVUTF8 {
    /// The offset of the first byte that makes `bytes[range]` invalid UTF-8, or `nil` when valid.
    ///
    /// - Complexity: O(n); ASCII runs cost one comparison per eight bytes.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        let end = range.upperBound
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while i < end {
            // Eight ASCII bytes at a time (most of a CSV, even one with Chinese text).
            if let raw, end - i >= 8, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2 ... 0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1 ... 0xEC, 0xEE ... 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1 ... 0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i - range.lowerBound
            }
            // The continuation bytes must be inside the field.
            guard i + need < end else { return i - range.lowerBound }
            let second = bytes[i + 1]
            guard second >= lo && second <= hi else { return i - range.lowerBound }
            for k in 2 ..< (need + 1) where bytes[i + k] & 0xC0 != 0x80 { return i - range.lowerBound }
            i += need + 1
        }
        return nil
    }
}
