/// A reference-type front for `JSONStrictParser`, for callers that hold a parser in a `let`
/// (the grid report tests do). It forwards to the struct, so the per-byte work keeps static
/// exclusivity checking; only each forwarded call pays a dynamic check.
///
/// New code should prefer `JSONValue(jsonText:)`, or `JSONStrictParser` directly.
final class JSONStreamParser {
    private var core: JSONStrictParser

    /// A parser over bytes in memory.
    init(bytes: [UInt8], name: String?, maxDepth: Int = 256) {
        core = JSONStrictParser(bytes: bytes, name: name, maxDepth: maxDepth)
    }

    /// A parser over the file at `path`, read `chunkSize` bytes at a time.
    ///
    /// - Throws: `IOFileError` when the file cannot be opened.
    init(path: String, chunkSize: Int = 64 * 1024, maxDepth: Int = 256) throws {
        core = try JSONStrictParser(path: path, chunkSize: chunkSize, maxDepth: maxDepth)
    }

    /// The absolute byte offset of the next unread byte.
    var offset: Int { core.offset }

    /// Skips a UTF-8 byte-order mark at offset 0.
    func skipByteOrderMark() throws { try core.skipByteOrderMark() }

    /// Parses one value after optional whitespace.
    func parseValue() throws -> JSONValue { try core.parseValue() }

    /// Checks a value's syntax without building it.
    func skipValue() throws { try core.skipValue() }

    /// Throws unless only whitespace remains.
    func expectEnd() throws { try core.expectEnd() }
}
