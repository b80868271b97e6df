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
    /// Per byte value: 0 plain, 1 delimiter, 2 LF, 3 CR, 4 quote (the fast path's one lookup).
    private let byteClass: UnsafeMutablePointer<UInt8>
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
        byteClass = .allocate(capacity: 256)
        byteClass.initialize(repeating: 0, count: 256)
        byteClass[Int(delimiter)] = 1
        byteClass[Int(Self.lf)] = 2
        byteClass[Int(Self.cr)] = 3
        byteClass[Int(Self.quote)] = 4
    }

    deinit {
        if !closed { close(fd) }
        buffer.deallocate()
        byteClass.deallocate()
    }

    /// Reads up to `maxRecords` records.
    ///
    /// - Returns: the records, or `nil` at the end of the file.
    /// - Throws: `IOFileError` when reading fails.
    /// - Complexity: O(bytes read).
    public func readChunk(maxRecords: Int) throws -> CSVChunk? {
        var chunk = CSVChunk()
        let wanted = max(1, maxRecords)
        // Size the buffers from the previous chunk so the loop below never reallocates.
        if wanted > 1 {
            let rows = min(wanted, 1 << 20)
            chunk.bytes.reserveCapacity(rows * (bytesPerRecordHint + 1))
            chunk.fieldEnds.reserveCapacity(rows * fieldsPerRecordHint)
            chunk.recordEnds.reserveCapacity(rows)
            chunk.lines.reserveCapacity(rows)
            chunk.plain.reserveCapacity(rows)
        }
        while chunk.count < wanted {
            if atStart { try skipByteOrderMark() }
            if position == count, try !nextBlock() { break }
            if readPlainRun(into: &chunk, records: wanted - chunk.count) > 0 { continue }
            guard try readRecord(into: &chunk) else { break }
        }
        guard chunk.count > 0 else { return nil }
        recordsRead += chunk.count
        bytesPerRecordHint = max(bytesPerRecordHint, chunk.bytes.count / chunk.count + 8)
        fieldsPerRecordHint = max(fieldsPerRecordHint, chunk.fieldEnds.count / chunk.count + 1)
        if checksUTF8 { Self.checkUTF8(&chunk) }
        return chunk
    }

    /// Whether ``readChunk(maxRecords:)`` marks records that are not valid UTF-8. The geocoding
    /// pipeline turns it off and checks each row with ``utf8Issue(_:_:)`` on every core instead.
    var checksUTF8 = true

    /// Capacity hints learned from the previous chunk.
    private var bytesPerRecordHint = 64
    private var fieldsPerRecordHint = 4

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
        let firstField = chunk.fieldEnds.count
        var content = 0
        let limit = maxRecordBytes
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
            let room = limit - content
            if end - start <= room {
                chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: end - start))
                content += end - start
            } else {
                if room > 0 { chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: room)) }
                content = limit
                truncated = true
            }
        }
        @inline(__always) func appendByte(_ b: UInt8) {
            if content < limit { chunk.bytes.append(b); content += 1 } else { truncated = true }
        }
        @inline(__always) func endField() {
            chunk.fieldEnds.append(chunk.bytes.count)
            chunk.bytes.append(delimiter)
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
        chunk.bytes.append(delimiter)
        chunk.recordEnds.append(chunk.fieldEnds.count)
        chunk.lines.append(startLine)
        chunk.plain.append(Self.needsNoQuotes(chunk, fields: firstField ..< chunk.fieldEnds.count, delimiter: delimiter))
        let r = chunk.count - 1
        if issue == nil, truncated { issue = .recordTooLong(limit: maxRecordBytes) }
        if let issue { chunk.issues[r] = issue }
        return true
    }

    /// The fast path: reads the run of ordinary records at the current position (unquoted, no
    /// bare CR, inside the current block, within the length limit) with one scan for field
    /// ends — eight bytes at a time where no special byte is near — and copies the run's bytes
    /// in one piece: between fields the file's delimiters, after an LF-terminated record its LF,
    /// are exactly the chunk's separator bytes. A CRLF ends its record with a copy of its own
    /// (the CR is not part of the field).
    ///
    /// - Returns: the number of records read (0: the record here needs the state machine).
    private func readPlainRun(into chunk: inout CSVChunk, records wanted: Int) -> Int {
        let classes = byteClass
        let delimiter = self.delimiter
        // Bytes equal to one of the four specials make `hasZero(word ^ pattern)` nonzero.
        @inline(__always) func broadcast(_ b: UInt8) -> UInt64 { UInt64(b) &* 0x0101_0101_0101_0101 }
        @inline(__always) func hasZero(_ x: UInt64) -> UInt64 { (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 }
        let dl = broadcast(delimiter), qt = broadcast(Self.quote), cr = broadcast(Self.cr), lf = broadcast(Self.lf)
        var runStart = position
        var base = chunk.bytes.count &- runStart
        var recordStart = position
        var committedFields = chunk.fieldEnds.count
        var read = 0
        var p = position
        let end = count
        scan: while true {
            while p &+ 8 <= end {
                let w = UnsafeRawPointer(buffer + p).loadUnaligned(as: UInt64.self)
                if hasZero(w ^ dl) | hasZero(w ^ qt) | hasZero(w ^ cr) | hasZero(w ^ lf) != 0 { break }
                p &+= 8
            }
            while p < end && classes[Int(buffer[p])] == 0 { p &+= 1 }
            guard p < end else { break scan }
            let kind = classes[Int(buffer[p])]
            if kind == 1 {
                chunk.fieldEnds.append(base &+ p)
                p &+= 1
                continue
            }
            var next = p &+ 1
            if kind == 3 {
                // CR: a record end only as CRLF (a bare CR is data: the state machine's case).
                guard next < end, buffer[next] == Self.lf else { break scan }
                next &+= 1
            } else if kind != 2 {
                break scan  // a quote
            }
            // A record ends at p; its content excludes the delimiters between its fields.
            let delimiters = chunk.fieldEnds.count &- committedFields
            guard p &- recordStart &- delimiters <= maxRecordBytes else { break scan }
            chunk.fieldEnds.append(base &+ p)
            if kind == 3 {
                chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + runStart, count: p &- runStart))
                chunk.bytes.append(delimiter)
                runStart = next
                base = chunk.bytes.count &- runStart
            }
            chunk.recordEnds.append(chunk.fieldEnds.count)
            chunk.lines.append(line)
            chunk.plain.append(true)
            line &+= 1
            read &+= 1
            committedFields = chunk.fieldEnds.count
            p = next
            recordStart = next
            if read == wanted { break scan }
        }
        // Undo the fields of an unfinished record; copy the finished ones.
        if chunk.fieldEnds.count > committedFields { chunk.fieldEnds.removeSubrange(committedFields...) }
        if recordStart > runStart {
            chunk.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer + runStart, count: recordStart &- runStart))
        }
        position = recordStart
        return read
    }

    /// Whether no field in `fields` (indexes into `fieldEnds`) contains the delimiter, a quote,
    /// CR or LF.
    private static func needsNoQuotes(_ chunk: CSVChunk, fields: Range<Int>, delimiter: UInt8) -> Bool {
        chunk.bytes.withUnsafeBufferPointer { bytes in
            for g in fields {
                let lo = g == 0 ? 0 : chunk.fieldEnds[g - 1] + 1
                for k in lo ..< chunk.fieldEnds[g] {
                    let b = bytes[k]
                    if b == delimiter || b == quote || b == cr || b == lf { return false }
                }
            }
            return true
        }
    }

    /// Marks every record that is not valid UTF-8 (and has no other issue) with the first such
    /// field. The whole chunk is checked at once first: the separators are ASCII, which never
    /// continue a multi-byte sequence, so the chunk is valid exactly when every field is.
    private static func checkUTF8(_ chunk: inout CSVChunk) {
        let valid = chunk.bytes.withUnsafeBufferPointer { CSVUTF8.firstInvalid($0, 0 ..< $0.count) == nil }
        if valid { return }
        for r in 0 ..< chunk.count where chunk.issues[r] == nil {
            if let issue = checkUTF8(chunk, r) { chunk.issues[r] = issue }
        }
    }

    /// The first field of record `r` that is not valid UTF-8, as an issue (the same as a
    /// reader with ``checksUTF8`` reports), or `nil`.
    static func utf8Issue(_ view: CSVChunkView, _ r: Int) -> CSVRecordIssue? {
        // The whole record first: its separators are ASCII, so it is valid exactly when every field is.
        guard CSVUTF8.firstInvalid(view.bytes, view.recordRange(r)) != nil else { return nil }
        for i in 0 ..< view.fieldCount(r) {
            if let bad = CSVUTF8.firstInvalid(view.bytes, view.fieldRange(r, i)) { return .invalidUTF8(column: i + 1, byte: bad) }
        }
        return nil
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
