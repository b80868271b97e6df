#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be opened, read or written (code `.io`).
///
/// Defined here because the shared error types have no I/O case yet; it conforms to
/// `TwinError` like the others, so callers handle it the same way.
public struct IOFileError: TwinError, Equatable {
    public var code: TwinErrorCode { .io }
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }

    /// An error for the failed call `what` on `path`, with the C library's `errno` text.
    static func fromErrno(_ what: String, path: String) -> IOFileError {
        let reason = String(cString: strerror(errno))
        return IOFileError("cannot \(what): \(reason)", at: SourceLocation(file: path))
    }
}
