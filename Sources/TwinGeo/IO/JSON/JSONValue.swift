/// A JSON value as read by TwinGeo's strict RFC 8259 parser.
///
/// Objects keep their members in document order (`JSONObject`); numbers keep the exact text
/// they were written with (`JSONNumber`), so an integer id such as `310112001001001` or
/// `12345678901234567890` survives a read/write cycle unchanged.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type name, for messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number's value, if this is a number.
    public var doubleValue: Double? { if case .number(let n) = self { n.value } else { nil } }
    /// The members, if this is an object.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// Parses one JSON document strictly (RFC 8259; see `JSONStrictParser` for the rules).
    ///
    /// - Parameters:
    ///   - jsonText: the document; a leading byte-order mark is tolerated.
    ///   - maxDepth: the deepest array/object nesting accepted.
    /// - Throws: `FormatError` with the byte offset of the problem.
    public init(jsonText: String, maxDepth: Int = 256) throws {
        var parser = JSONStrictParser(bytes: Array(jsonText.utf8), name: nil, maxDepth: maxDepth)
        try parser.skipByteOrderMark()
        self = try parser.parseValue()
        try parser.expectEnd()
    }

    /// Compact RFC 8259 text (no spaces); numbers are written with their original text.
    public var jsonText: String {
        var out: [UInt8] = []
        JSONWriting.append(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A finite JSON number: its value and its exact text.
///
/// Two numbers are equal when their texts are equal (`1` and `1.0` differ: the text is what
/// a writer reproduces).
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number as written in the document (valid RFC 8259 number text).
    public let text: String
    /// The correctly rounded value of `text`; always finite.
    public let value: Double

    /// The shortest text that reads back to `value` (`-0.0` for negative zero, so other JSON
    /// readers keep the sign); `nil` for NaN and infinities, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        self.text = IODecimal.jsonText(value)
        self.value = value
    }

    /// An integer, written without a fraction.
    public init(_ value: Int) {
        self.text = String(value)
        self.value = Double(value)
    }

    /// Parses RFC 8259 number text; `nil` when `text` is not a valid, finite JSON number.
    public init?(text: String) {
        let bytes = Array(text.utf8)
        guard JSONGrammar.numberLength(bytes, from: 0) == bytes.count else { return nil }
        let v = IODecimal.value(of: bytes)
        guard v.isFinite else { return nil }
        self.text = text
        self.value = v
    }

    /// Trusted constructor for the parser (text already validated, value finite).
    init(validatedText: String, value: Double) {
        self.text = validatedText
        self.value = value
    }

    /// The value as an `Int` when the text is an integer (no fraction, no exponent) that fits.
    public var intValue: Int? { Int(text) }

    public var description: String { text }
}

/// A JSON object: members in document order, keys unique (the parser refuses duplicates).
public struct JSONObject: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var keys: [String] = []
    public private(set) var values: [JSONValue] = []

    public init() {}

    /// An object with `members` in the given order; a later duplicate key replaces the earlier value.
    public init(_ members: [(String, JSONValue)]) {
        for (k, v) in members { self[k] = v }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`, or `nil`. Setting appends a new key at the end, or replaces the
    /// value in place; setting `nil` removes the member.
    ///
    /// - Complexity: O(n) (objects are small; features' properties rarely exceed a few dozen).
    public subscript(key: String) -> JSONValue? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let i = keys.firstIndex(of: key) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key); values.append(newValue)
            }
        }
    }

    /// Appends without a duplicate check (the parser checks first).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        keys.append(key); values.append(value)
    }

    public func makeIterator() -> Zip2Sequence<[String], [JSONValue]>.Iterator {
        zip(keys, values).makeIterator()
    }
}
