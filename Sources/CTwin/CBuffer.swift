import TwinGeo

/// Caller-sized string output, the one rule every `twin_*` string getter follows:
/// `*needed` (when `needed` is not NULL) receives the bytes the string takes including its NUL;
/// if `n` is smaller the call returns `TWIN_ERR_BUFFER` and writes "" when `n > 0`; otherwise
/// the string is copied NUL-terminated. `buf` may be NULL only when `n` is 0 (a sizing call).
enum CBuffer {
    static func write(_ value: String, to buf: UnsafeMutablePointer<CChar>?, size n: UInt,
                      needed: UnsafeMutablePointer<UInt>?, what: String) throws -> Int32 {
        guard buf != nil || n == 0 else { throw TwinQueryError(.argument, "buf is NULL but n is \(n)") }
        var text = value
        return try text.withUTF8 { bytes in
            let need = bytes.count + 1
            needed?.pointee = UInt(need)
            guard let buf, n >= UInt(need) else {
                if let buf, n > 0 { buf[0] = 0 }
                throw TwinQueryError(.buffer, "\(what) needs \(need) bytes with its NUL; the buffer has \(n)")
            }
            if let base = bytes.baseAddress {
                UnsafeMutableRawPointer(buf).copyMemory(from: base, byteCount: bytes.count)
            }
            buf[bytes.count] = 0
            return twinOK
        }
    }
}
