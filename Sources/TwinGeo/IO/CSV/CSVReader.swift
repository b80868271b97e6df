#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming RFC 4180 reader over a file: reads fixed-size blocks (never the whole file) and
/// yields records with the physical line each starts on.
///
/// Accepted: quoted fields with `""` escapes, delimiters and newlines inside quotes, CRLF or LF
/// line ends (a CR not followed by LF is data), a UTF-8 byte-order mark at the start of the file
/// (skipped). A blank line is a record with one empty field; the final line end is optional.
///
/// Malformed records are returned, not thrown, with a ``CSVRecordIssue`` naming the line and
/// field: a quote inside an unquoted field, text after a closing quote (the rest of that physical
/// line is read literally and the next line starts a new record, so nothing after it is lost), a
/// quoted field still open at the end of the file (the rest of the file is that one record),
/// invalid UTF-8, a record longer than ``maxRecordBytes`` (truncated, so memory stays bounded).
///
/// ```swift
/// let reader = try CSVReader(path: "events.csv")
/// while let chunk = try reader.readChunk(maxRecords: 65_536) {
///     for r in 0 ..< chunk.count { print(chunk.line(r), chunk.fields(r)) }
/// }
/// ```
///
/// A reader is used by one thread at a time.
public final class CSVReader {
    /// The file being read.
    public let path: String
    /// The field separator byte (default `,`).
    public let delimiter: UInt8
    /// The longest record kept in full, in bytes of field content.
    public let maxRecordBytes: Int
    /// Records returned so far.
    public private(set) var recordsRead = 0
    /// File bytes consumed so far.
    public private(set) var bytesRead = 0

    private let fd: Int32
    private let capacity: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var position = 0
    private var atEnd = false
    private var atStart = true
    private var closed = false
    /// The physical line the next unread byte is on.
    private var line = 1

    private static let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - delimiter: the field separator, an ASCII byte other than `"`, CR and LF (default `,`).
    ///   - blockSize: bytes per `read` (default 256 KiB; tests use tiny sizes to sweep boundaries).
    ///   - maxRecordBytes: the longest record kept in full (default 16 MiB).
    /// - Throws: `IOFileError` naming the path when it cannot be opened; `FormatError` for a
    ///   delimiter that is not a plain ASCII byte or a block size below 1.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), blockSize: Int = 1 << 18,
                maxRecordBytes: Int = 16 << 20) throws {
        guard delimiter < 0x80, delimiter != Self.quote, delimiter != Self.cr, delimiter != Self.lf else {
            throw FormatError("the CSV delimiter must be an ASCII character other than a quote or a line end")
        }
        guard blockSize >= 1, maxRecordBytes >= 1 else {
            throw FormatError("the CSV block size and record limit must be at least 1 byte")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw IOFileError.fromErrno("open \(path) for reading", path: path) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IOFileError("cannot read \(path): it is a directory", at: SourceLocation(file: path))
        }
        self.fd = fd
        self.path = path
        self.delimiter = delimiter
        self.maxRecordBytes = maxRecordBytes
        self.capacity = max(blockSize, 3)
        self.buffer = .allocate(capacity: self.capacity)
    }

    deinit {
        if !closed { close(fd) }
        buffer.deallocate()
    }

    /// Reads up to `maxRecords` records.
    ///
    /// - Returns: the records, or `nil` at the end of the file.
    /// - Throws: `IOFileError` when reading fails.
    /// - Complexity: O(bytes read).
    public func readChunk(maxRecords: Int) throws -> CSVChunk? {
        var chunk = CSVChunk()
        while chunk.count < max(1, maxRecords), try readRecord(into: &chunk) {}
        recordsRead += chunk.count
        return chunk.count == 0 ? nil : chunk
    }

    /// Reads one record.
    ///
    /// - Returns: the record, or `nil` at the end of the file.
    /// - Throws: `IOFileError` when reading fails.
    public func next() throws -> CSVRecord? {
        try readChunk(maxRecords: 1)?.record(0)
    }

    // MARK: Reading blocks

    /// Reads the next block; `false` at the end of the file.
    private func refill() throws -> Bool {
        if atEnd { return false }
        while true {
            let n = read(fd, buffer, capacity)
            if n < 0 {
                if errno == EINTR { continue }
                throw IOFileError.fromErrno("read \(path)", path: path)
            }
            if n == 0 {
                atEnd = true
                if !closed { close(fd); closed = true }
                return false
            }
            count = n
            position = 0
            bytesRead += n
            return true
        }
    }

    /// Skips a UTF-8 byte-order mark at the start of the file.
    private func skipByteOrderMark() throws {
        atStart = false
        var head: [UInt8] = []
        // The first block may be shorter than 3 bytes (a pipe, a tiny block size): gather them.
        while head.count < 3 {
            if position == count, try !refill() { break }
            head.append(buffer[position])
            position += 1
        }
        if head == [0xEF, 0xBB, 0xBF] { return }
        // Not a BOM: push the bytes back in front of the rest of the block.
        let rest = Array(UnsafeBufferPointer(start: buffer + position, count: count - position))
        let all = head + rest
        if all.count <= capacity {
            for (k, b) in all.enumerated() { buffer[k] = b }
            count = all.count
            position = 0
        } else {
            // Only possible when blocks are shorter than 3 bytes: keep the overflow pending.
            pending = all
            for (k, b) in all.prefix(capacity).enumerated() { buffer[k] = b }
            pending.removeFirst(capacity)
            count = capacity
            position = 0
        }
    }

    /// Bytes pushed back by ``skipByteOrderMark()`` that did not fit in the block.
    private var pending: [UInt8] = []

    /// The next block, from the pushed-back bytes first.
    private func nextBlock() throws -> Bool {
        if !pending.isEmpty {
            let n = min(capacity, pending.count)
            for k in 0 ..< n { buffer[k] = pending[k] }
            pending.removeFirst(n)
            count = n
            position = 0
            return true
        }
        return try refill()
    }

    // MARK: The record state machine

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, lenient }

    /// Parses one record into `chunk`; `false` when the file has no more records.
    private func readRecord(into chunk: inout CSVChunk) throws -> Bool {
        if atStart { try skipByteOrderMark() }
        if position == count, try !nextBlock() { return false }

        let startLine = line
        let recordStart = chunk.bytes.count
        let limit = recordStart + maxRecordBytes
        var truncated = false
        var issue: CSVRecordIssue?
        var state = State.fieldStart
        var column = 1
        var pendingCR = false
        var quoteLine = startLine
        let delimiter = self.delimiter
        let quote = Self.quote, cr = Self.cr, lf = Self.lf

        @inline(__always) func append(_ start: Int, _ end: Int) {
            guard end > start else { return }
            let room = limit - chunk.bytes.count
            if end - start <= room {
                chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: end - start))
            } else {
                if room > 0 { chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: room)) }
                truncated = true
            }
        }
        @inline(__always) func appendByte(_ b: UInt8) {
            if chunk.bytes.count < limit { chunk.bytes.append(b) } else { truncated = true }
        }
        @inline(__always) func endField() {
            chunk.fieldEnds.append(chunk.bytes.count)
            column += 1
        }

        record: while true {
            if position == count {
                guard try nextBlock() else {
                    // End of file: close the last field and record.
                    if state == .quoted, issue == nil { issue = .unterminatedQuote(line: quoteLine, column: column) }
                    break record
                }
            }
            let b = buffer[position]
            position += 1

            if pendingCR {
                pendingCR = false
                if b == lf { line += 1; break record }
                // A bare CR is data (after a closing quote it is stray text).
                switch state {
                case .quoteInQuoted:
                    if issue == nil { issue = .textAfterClosingQuote(line: line, column: column) }
                    state = .lenient
                case .fieldStart: state = .unquoted
                default: break
                }
                appendByte(cr)
            }

            switch state {
            case .fieldStart, .unquoted, .lenient:
                if b == delimiter {
                    endField()
                    if state == .unquoted { state = .fieldStart }
                    continue
                }
                if b == lf { line += 1; break record }
                if b == cr { pendingCR = true; continue }
                if b == quote {
                    if state == .fieldStart { state = .quoted; quoteLine = line; continue }
                    if state == .unquoted {
                        if issue == nil { issue = .quoteInUnquotedField(line: line, column: column) }
                        state = .lenient
                    }
                    appendByte(b)
                    continue
                }
                if state == .fieldStart { state = .unquoted }
                // Fast path: the rest of a plain run in one copy.
                let start = position - 1
                var p = position
                while p < count {
                    let c = buffer[p]
                    if c == delimiter || c == lf || c == cr || c == quote { break }
                    p += 1
                }
                append(start, p)
                position = p
            case .quoted:
                if b == quote { state = .quoteInQuoted; continue }
                if b == lf { line += 1 }
                let start = position - 1
                var p = position
                while p < count {
                    let c = buffer[p]
                    if c == quote { break }
                    if c == lf { line += 1 }
                    p += 1
                }
                append(start, p)
                position = p
            case .quoteInQuoted:
                if b == quote { appendByte(quote); state = .quoted; continue }
                if b == delimiter { endField(); state = .fieldStart; continue }
                if b == lf { line += 1; break record }
                if b == cr { pendingCR = true; continue }
                if issue == nil { issue = .textAfterClosingQuote(line: line, column: column) }
                state = .lenient
                appendByte(b)
            }
        }
        chunk.fieldEnds.append(chunk.bytes.count)
        chunk.recordEnds.append(chunk.fieldEnds.count)
        chunk.lines.append(startLine)
        let r = chunk.count - 1
        if issue == nil, truncated { issue = .recordTooLong(limit: maxRecordBytes) }
        if issue == nil { issue = Self.checkUTF8(chunk, r) }
        if let issue { chunk.issues[r] = issue }
        return true
    }

    /// The first field of record `r` that is not valid UTF-8, as an issue.
    private static func checkUTF8(_ chunk: CSVChunk, _ r: Int) -> CSVRecordIssue? {
        chunk.bytes.withUnsafeBufferPointer { bytes in
            // Field by field: a multi-byte character split by a delimiter is invalid in both halves.
            for i in 0 ..< chunk.fieldCount(r) {
                if let bad = CSVUTF8.firstInvalid(bytes, chunk.fieldRange(r, i)) { return .invalidUTF8(column: i + 1, byte: bad) }
            }
            return nil
        }
    }
}
