#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `close(2)`, callable from a type that has its own `close()`.
private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }

/// RFC 4180 field encoding: a field is quoted (with `"` doubled) only when it contains the
/// delimiter, a quote, CR or LF; records end with CRLF.
public enum CSVEncoding {
    /// Appends one field to `out`, quoted if needed.
    ///
    /// - Complexity: O(field length).
    @inlinable
    public static func appendField<C: Collection>(_ field: C, delimiter: UInt8 = UInt8(ascii: ","),
                                                  to out: inout [UInt8]) where C.Element == UInt8 {
        var needsQuotes = false
        for b in field where b == delimiter || b == 0x22 || b == 0x0D || b == 0x0A {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            out.append(contentsOf: field)
            return
        }
        out.append(0x22)
        for b in field {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    /// Appends one record (fields separated by `delimiter`, CRLF-terminated) to `out`.
    public static func appendRecord(_ fields: [String], delimiter: UInt8 = UInt8(ascii: ","), to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(delimiter) }
            appendField(field.utf8, delimiter: delimiter, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }
}

/// A buffered CSV file writer (creates or truncates the file).
///
/// ```swift
/// let out = try CSVWriter(path: "out.csv")
/// try out.writeRecord(["id", "lon", "lat"])
/// try out.close()
/// ```
public final class CSVWriter {
    /// The file being written.
    public let path: String
    /// The field separator byte.
    public let delimiter: UInt8
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20

    /// Creates or truncates `path`.
    ///
    /// - Throws: `IOFileError` naming the path when it cannot be created.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw IOFileError.fromErrno("create \(path)", path: path) }
        self.fd = fd
        self.path = path
        self.delimiter = delimiter
        buffer.reserveCapacity(Self.flushSize + (1 << 16))
    }

    deinit { if fd >= 0 { _ = closeDescriptor(fd) } }

    /// Writes one record, quoting fields where needed.
    ///
    /// - Throws: `IOFileError` when writing fails.
    public func writeRecord(_ fields: [String]) throws {
        CSVEncoding.appendRecord(fields, delimiter: delimiter, to: &buffer)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes bytes that already are CSV records (see ``CSVEncoding``).
    ///
    /// - Throws: `IOFileError` when writing fails.
    public func writeEncoded(_ bytes: [UInt8]) throws {
        if buffer.isEmpty && bytes.count >= Self.flushSize {
            try writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes bytes that already are CSV records, without copying a large run through the
    /// buffer.
    ///
    /// - Throws: `IOFileError` when writing fails.
    func writeEncoded(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        if bytes.count >= Self.flushSize / 4 {
            try flush()
            try writeAll(UnsafeRawBufferPointer(bytes))
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try flush() }
    }

    /// Writes the buffered bytes to the file.
    ///
    /// - Throws: `IOFileError` when writing fails.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    private func writeAll(_ raw: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw IOFileError("cannot write \(path): the writer is closed", at: SourceLocation(file: path)) }
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFileError.fromErrno("write \(path)", path: path)
            }
            done += n
        }
    }

    /// Flushes and closes the file; later writes throw.
    ///
    /// - Throws: `IOFileError` when the last write or the close fails.
    public func close() throws {
        guard fd >= 0 else { return }
        try flush()
        let result = closeDescriptor(fd)
        fd = -1
        guard result == 0 else { throw IOFileError.fromErrno("close \(path)", path: path) }
    }
}
