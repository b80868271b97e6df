/// A batch of CSV records read by ``CSVReader/readChunk(maxRecords:)``, stored flat: the unquoted
/// bytes of every field in one buffer and the field boundaries in another, so millions of records
/// cost a few allocations rather than one per field.
///
/// Layout: every field's unquoted bytes followed by one separator byte (the delimiter; after a
/// record's last field the delimiter or, for records read straight from an LF-terminated line,
/// that LF), record after record. For
/// a record whose fields contain no delimiter, quote, CR or LF (``isPlain(_:)``, nearly every
/// record of real files), ``recordRange(_:)`` is therefore already valid CSV text for the whole
/// record, so writers pass it through with one copy instead of re-encoding field by field.
///
/// Record `r` is `0 ..< count`; field `i` of a record is `0 ..< fieldCount(r)`.
public struct CSVChunk: Sendable {
    /// Every field's unquoted bytes, each followed by one separator byte.
    public internal(set) var bytes: [UInt8] = []
    /// For each field (all records), the end offset of its bytes in ``bytes`` (its separator
    /// byte sits there; the next field starts one byte later).
    var fieldEnds: [Int] = []
    /// For each record, the end (exclusive) of its fields in `fieldEnds`.
    var recordEnds: [Int] = []
    /// For each record, its starting physical line.
    public internal(set) var lines: [Int] = []
    /// For each record, whether no field needs quoting (see ``isPlain(_:)``).
    var plain: [Bool] = []
    /// Malformed records by record index (rare, so kept sparse).
    var issues: [Int: CSVRecordIssue] = [:]

    public init() {}

    /// The number of records.
    public var count: Int { lines.count }

    /// Whether any record in the chunk is malformed.
    public var hasIssues: Bool { !issues.isEmpty }

    /// The number of fields of record `r`.
    public func fieldCount(_ r: Int) -> Int { recordEnds[r] - (r == 0 ? 0 : recordEnds[r - 1]) }

    /// The starting line of record `r`.
    public func line(_ r: Int) -> Int { lines[r] }

    /// Why record `r` is malformed, or `nil`.
    public func issue(_ r: Int) -> CSVRecordIssue? { issues.isEmpty ? nil : issues[r] }

    /// Whether no field of record `r` contains the delimiter, a quote, CR or LF, so that
    /// ``recordRange(_:)`` is the record's RFC 4180 text as ``CSVEncoding`` would write it.
    public func isPlain(_ r: Int) -> Bool { plain[r] }

    /// The byte range of field `i` of record `r` in ``bytes``.
    public func fieldRange(_ r: Int, _ i: Int) -> Range<Int> {
        let g = (r == 0 ? 0 : recordEnds[r - 1]) + i
        return (g == 0 ? 0 : fieldEnds[g - 1] + 1) ..< fieldEnds[g]
    }

    /// The bytes of record `r` in ``bytes``: its fields joined by the delimiter (no line end).
    public func recordRange(_ r: Int) -> Range<Int> {
        let first = r == 0 ? 0 : recordEnds[r - 1]
        return (first == 0 ? 0 : fieldEnds[first - 1] + 1) ..< fieldEnds[recordEnds[r] - 1]
    }

    /// Field `i` of record `r` as text (invalid UTF-8 replaced by U+FFFD).
    public func string(_ r: Int, _ i: Int) -> String {
        String(decoding: bytes[fieldRange(r, i)], as: UTF8.self)
    }

    /// Every field of record `r` as text.
    public func fields(_ r: Int) -> [String] { (0 ..< fieldCount(r)).map { string(r, $0) } }

    /// Record `r` as a value.
    public func record(_ r: Int) -> CSVRecord { CSVRecord(fields: fields(r), line: lines[r], issue: issue(r)) }
}

/// A borrowed, pointer-only view of a ``CSVChunk`` for hot loops: no reference counting per
/// access. Valid only inside ``CSVChunk/withView(_:)``.
struct CSVChunkView {
    let bytes: UnsafeBufferPointer<UInt8>
    let fieldEnds: UnsafeBufferPointer<Int>
    let recordEnds: UnsafeBufferPointer<Int>
    let lines: UnsafeBufferPointer<Int>
    let plain: UnsafeBufferPointer<Bool>

    @inline(__always) func fieldCount(_ r: Int) -> Int { recordEnds[r] &- (r == 0 ? 0 : recordEnds[r &- 1]) }

    @inline(__always) func fieldRange(_ r: Int, _ i: Int) -> Range<Int> {
        let g = (r == 0 ? 0 : recordEnds[r &- 1]) &+ i
        return (g == 0 ? 0 : fieldEnds[g &- 1] &+ 1) ..< fieldEnds[g]
    }

    @inline(__always) func field(_ r: Int, _ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[fieldRange(r, i)])
    }

    /// The range of record `r`'s fields joined by the delimiter (see ``CSVChunk/recordRange(_:)``).
    @inline(__always) func recordRange(_ r: Int) -> Range<Int> {
        let first = r == 0 ? 0 : recordEnds[r &- 1]
        return (first == 0 ? 0 : fieldEnds[first &- 1] &+ 1) ..< fieldEnds[recordEnds[r] &- 1]
    }

    /// Record `r`'s fields joined by the delimiter.
    @inline(__always) func record(_ r: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[recordRange(r)])
    }
}

extension CSVChunk {
    /// Calls `body` with a pointer view of the chunk.
    func withView<R>(_ body: (CSVChunkView) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in
            try fieldEnds.withUnsafeBufferPointer { f in
                try recordEnds.withUnsafeBufferPointer { e in
                    try lines.withUnsafeBufferPointer { l in
                        try plain.withUnsafeBufferPointer { p in
                            try body(CSVChunkView(bytes: b, fieldEnds: f, recordEnds: e, lines: l, plain: p))
                        }
                    }
                }
            }
        }
    }
}
