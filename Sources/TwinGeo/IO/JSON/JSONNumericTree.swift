/// A JSON value flattened into tokens, for nested arrays of numbers such as GeoJSON
/// `coordinates`: `[` and `]` and numbers, each with its byte offset; any other value is one
/// token naming its type.
///
/// Parsing coordinates into this instead of `JSONValue` avoids an array and a string per
/// position (a polygon of n positions costs three growing arrays, not 3n allocations), and
/// keeps the byte offset of every token for error messages.
struct JSONNumericTree {
    enum Kind: UInt8 {
        case open, close, number, string, bool, null, object

        /// The JSON type of a value that starts with this token.
        var typeName: String {
            switch self {
            case .open, .close: "array"
            case .number: "number"
            case .string: "string"
            case .bool: "boolean"
            case .null: "null"
            case .object: "object"
            }
        }
    }

    private(set) var kinds: [Kind] = []
    /// The value of each `.number` token (0 for other tokens).
    private(set) var numbers: [Double] = []
    /// The byte offset of each token in the document, or -1 when unknown.
    private(set) var offsets: [Int] = []

    init() {}

    /// The tokens of an already parsed value (offsets unknown).
    init(_ value: JSONValue) {
        append(value)
    }

    var count: Int { kinds.count }

    mutating func append(_ kind: Kind, _ number: Double = 0, at offset: Int) {
        kinds.append(kind)
        numbers.append(number)
        offsets.append(offset)
    }

    private mutating func append(_ value: JSONValue) {
        switch value {
        case .array(let items):
            append(.open, at: -1)
            for item in items { append(item) }
            append(.close, at: -1)
        case .number(let n): append(.number, n.value, at: -1)
        case .string: append(.string, at: -1)
        case .bool: append(.bool, at: -1)
        case .null: append(.null, at: -1)
        case .object: append(.object, at: -1)
        }
    }
}

extension JSONStrictParser {
    /// Parses one value (any JSON) into `tree`, with the same strictness as `parseValue`.
    mutating func parseNumericTree(into tree: inout JSONNumericTree) throws {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected a value") }
        let start = offset
        switch b {
        case UInt8(ascii: "["):
            advance()
            try enter()
            tree.append(.open, at: start)
            if try skipWhitespace() == UInt8(ascii: "]") {
                tree.append(.close, at: offset)
                advance()
            } else {
                repeat { try parseNumericTree(into: &tree) } while try arrayContinues()
                tree.append(.close, at: offset - 1)
            }
            leave()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            tree.append(.number, try scanNumber(), at: start)
        case UInt8(ascii: "\""):
            try readString(store: false)
            tree.append(.string, at: start)
        case UInt8(ascii: "{"):
            try skipValue()
            tree.append(.object, at: start)
        default:
            tree.append(try parseLiteral() == .null ? .null : .bool, at: start)
        }
    }
}
