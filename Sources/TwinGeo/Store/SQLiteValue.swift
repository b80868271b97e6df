/// One SQLite value, as stored in a column or bound to a statement parameter.
///
/// SQLite has five storage classes (<https://sqlite.org/datatype3.html>); this enum has one case
/// each. Text is UTF-8; a blob is its bytes. Reals are stored bit for bit, with one SQLite
/// exception: a column with REAL affinity (`DOUBLE`, `FLOAT`) stores an integral value as an
/// integer on disk, so `-0.0` reads back as `0.0`.
public enum SQLiteValue: Hashable, Sendable {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes.
    case blob([UInt8])

    /// The SQLite name of the storage class (`NULL`, `INTEGER`, `REAL`, `TEXT`, `BLOB`), as
    /// `typeof()` reports it.
    public var storageClass: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }

    /// The integer, or `nil` for any other storage class.
    public var integerValue: Int64? { if case .integer(let v) = self { v } else { nil } }
    /// The real, or the integer converted to `Double`; `nil` otherwise.
    public var doubleValue: Double? {
        switch self {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
    /// The text, or `nil` for any other storage class.
    public var textValue: String? { if case .text(let v) = self { v } else { nil } }
    /// The blob bytes, or `nil` for any other storage class.
    public var blobValue: [UInt8]? { if case .blob(let v) = self { v } else { nil } }
    /// `true` for `.null`.
    public var isNull: Bool { if case .null = self { true } else { false } }
}

extension SQLiteValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral
{
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
    /// An integer literal is `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A float literal is `.real`.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal is `.text`.
    public init(stringLiteral value: String) { self = .text(value) }
}

extension SQLiteValue: CustomStringConvertible {
    /// An SQL-literal-like rendering for messages: `NULL`, `42`, `1.5`, `'text'`, `x'0A0B'` (long
    /// blobs are cut after 16 bytes).
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return "'" + v.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        case .blob(let bytes):
            let hex = bytes.prefix(16).map { b -> String in
                let digits = Array("0123456789ABCDEF")
                return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
            }.joined()
            return "x'\(hex)'" + (bytes.count > 16 ? "… (\(bytes.count) bytes)" : "")
        }
    }
}
