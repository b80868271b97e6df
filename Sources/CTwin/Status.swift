#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// `const char *twin_status_string(int status)`: a short, static English phrase for a status code.
///
/// Codes are `TwinErrorCode` raw values (`TWIN_ERR_*` in include/twin.h). An unknown code gets
/// "unknown status", and callers should treat it as a failure (the header says so).
@c(twin_status_string)
public func twinStatusString(_ status: Int32) -> UnsafePointer<CChar> {
    if status == 0 { return staticCString("ok") }
    switch TwinErrorCode(rawValue: status) {
    case .io: return staticCString("I/O error")
    case .format: return staticCString("malformed input or file")
    case .argument: return staticCString("invalid argument")
    case .notFound: return staticCString("not found")
    case .buffer: return staticCString("buffer too small")
    case .geometry: return staticCString("geometry error")
    case .crs: return staticCString("CRS error")
    case .internal: return staticCString("internal error")
    case nil: return staticCString("unknown status")
    }
}

/// The status the C ABI returns on success (`TWIN_OK`).
let twinOK: Int32 = 0

/// A string literal as a C string. Literals are stored NUL-terminated in read-only data for the
/// life of the process, which is what a `const char *` without an owner promises.
func staticCString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// Runs the body of one C entry point: every Swift error is caught here and becomes a status
/// code plus the calling thread's message (no Swift error may cross into C).
///
/// - Parameters:
///   - owner: the handle the call was made on (`nil` for handle-less calls); the message is
///     filed under it for `twin_errmsg`.
///   - function: the C name, prefixed to the message.
///   - body: the shell's work; returns `TWIN_OK` or another status it decided itself.
@inline(__always)
func callC(_ owner: OpaquePointer?, _ function: StaticString, _ body: () throws -> Int32) -> Int32 {
    do {
        return try body()
    } catch let error as any TwinError {
        ThreadMessages.record("\(function): \(error.description)", owner: owner)
        return error.code.rawValue
    } catch {
        // TwinGeo throws only TwinError values; anything else is a bug worth reporting.
        ThreadMessages.record("\(function): unexpected error \(error)", owner: owner)
        return TwinErrorCode.internal.rawValue
    }
}

/// Argument checks the shell makes before calling TwinGeo.
enum CArgument {
    /// Throws `.argument` when `pointer` is NULL.
    static func require<T>(_ pointer: T?, _ name: String) throws -> T {
        guard let pointer else { throw TwinQueryError(.argument, "\(name) is NULL") }
        return pointer
    }

    /// A C `size_t` as a Swift count, refusing values no buffer can have.
    static func count(_ n: UInt, _ name: String) throws -> Int {
        guard n <= UInt(Int.max / 16) else { throw TwinQueryError(.argument, "\(name) (\(n)) is larger than any buffer") }
        return Int(n)
    }

    /// The CRS named by a C string; NULL means WGS84.
    static func crs(_ name: UnsafePointer<CChar>?, _ what: String = "crs") throws -> CRS {
        guard let name else { return .wgs84 }
        // The common case without building a String: single-point calls must not allocate.
        if strcasecmp(name, "wgs84") == 0 { return .wgs84 }
        let text = String(cString: name)
        guard let crs = CRS(name: text) else {
            throw CRSError("\(what) \"\(text)\" is not a CRS name (wgs84, cgcs2000, gcj02, bd09 or EPSG:n)")
        }
        return crs
    }
}
