#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// A buffered byte writer over `FILE*` (64 KiB chunks), for CSV and JSON text.
final class TextFileWriter {
    private var file: UnsafeMutablePointer<FILE>?
    private let path: String
    private var buffer: [UInt8] = []

    /// Creates or truncates `path`.
    /// - Throws: `IOFileError` naming the path when it cannot be created.
    init(path: String) throws {
        guard let f = fopen(path, "wb") else {
            throw IOFileError("cannot create \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        file = f
        self.path = path
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if let file { fclose(file) } }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// One RFC 4180 record (CRLF-terminated).
    func writeRecord(_ fields: [String]) throws { try write(CSVFormat.record(fields)) }

    private func flush() throws {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw IOFileError("cannot write \(path): \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; the writer cannot be used afterwards.
    func close() throws {
        try flush()
        if let f = file {
            file = nil
            guard fclose(f) == 0 else { throw IOFileError("cannot close \(path)", at: SourceLocation(file: path)) }
        }
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    /// - Throws: `IOFileError` when a component cannot be created or is not a directory.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw IOFileError("cannot create directory \(current): \(String(cString: strerror(errno)))",
                                  at: SourceLocation(file: current))
            }
            var info = stat()
            guard stat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw IOFileError("\(current) exists and is not a directory", at: SourceLocation(file: current))
            }
        }
    }
}

/// Number text for CSV: integers without a fraction, others in Swift's shortest round-trip form.
enum NumberText {
    static func text(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }
}
