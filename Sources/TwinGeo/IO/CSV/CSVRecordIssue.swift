/// Why a CSV record could not be read as RFC 4180 text.
///
/// The reader reports the issue on the record and carries on: every malformed kind except
/// ``unterminatedQuote`` ends at the end of its physical line, so the next record is read as usual
/// (an unterminated quote runs to the end of the file, which is then one bad record).
public enum CSVRecordIssue: Hashable, Sendable, CustomStringConvertible {
    /// A quoted field is still open at the end of the file; `line` is where its quote opened.
    case unterminatedQuote(line: Int, column: Int)
    /// A `"` inside an unquoted field (RFC 4180 allows quotes only around a whole field).
    case quoteInUnquotedField(line: Int, column: Int)
    /// Text after a field's closing quote, before the next delimiter or line end.
    case textAfterClosingQuote(line: Int, column: Int)
    /// A field is not valid UTF-8; `byte` is the offset of the first bad byte in the field.
    case invalidUTF8(column: Int, byte: Int)
    /// The record is longer than the reader's limit; the fields were truncated.
    case recordTooLong(limit: Int)

    /// A short category for reject files and histograms: `unterminated_quote`, `malformed_quote`,
    /// `invalid_utf8` or `record_too_long`.
    public var reason: String {
        switch self {
        case .unterminatedQuote: "unterminated_quote"
        case .quoteInUnquotedField, .textAfterClosingQuote: "malformed_quote"
        case .invalidUTF8: "invalid_utf8"
        case .recordTooLong: "record_too_long"
        }
    }

    /// A sentence naming the place (1-based line and column = field number).
    public var description: String {
        switch self {
        case .unterminatedQuote(let line, let column):
            "the quoted field \(column) opened on line \(line) is not closed before the end of the file"
        case .quoteInUnquotedField(let line, let column):
            "line \(line): a quote inside the unquoted field \(column) (quote the whole field and double the quote)"
        case .textAfterClosingQuote(let line, let column):
            "line \(line): text after the closing quote of field \(column)"
        case .invalidUTF8(let column, let byte):
            "field \(column) is not valid UTF-8 (bad byte at offset \(byte) of the field)"
        case .recordTooLong(let limit):
            "the record is longer than \(limit) bytes; its fields were truncated"
        }
    }
}

/// One CSV record with its place in the file.
public struct CSVRecord: Hashable, Sendable {
    /// The field values, unquoted (`""` read as `"`). For a malformed record: the fields as far as
    /// they could be split (the rest of the line read literally).
    public var fields: [String]
    /// The 1-based physical line the record starts on (the header is line 1; newlines inside
    /// quoted fields count).
    public var line: Int
    /// Why the record is malformed, or `nil`.
    public var issue: CSVRecordIssue?

    public init(fields: [String], line: Int, issue: CSVRecordIssue? = nil) {
        self.fields = fields
        self.line = line
        self.issue = issue
    }
}
