#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict RFC 8259 pull parser over a byte source that is either in memory or a file read
/// in fixed-size chunks, so that a document of any size is parsed with a bounded buffer.
///
/// Strictness: no NaN/Infinity, no comments, no trailing commas, no leading zeros, no
/// control characters in strings, UTF-8 validated (overlong forms, encoded surrogates and
/// code points above U+10FFFF refused), `\u` surrogates must pair, duplicate keys refused,
/// nesting depth limited (256), numbers must be finite as doubles. A UTF-8 BOM is tolerated
/// at the very start only.
///
/// Every error is a `FormatError` whose location has the source name, the absolute byte
/// offset and, when the caller sets `featureIndex`, the feature being read.
///
/// A struct rather than a class so that the per-byte state is checked for exclusive access
/// statically: as a class, dynamic exclusivity checks on every byte cost a third of the time.
/// Copies of a file-backed parser share one `FILE *`: use one copy at a time.
struct JSONStrictParser {
    // Source
    private var buffer: [UInt8]
    private var pos = 0
    private var end: Int
    /// Absolute offset of `buffer[0]` in the source.
    private var base = 0
    private let file: JSONFileHandle?
    private var atEOF: Bool
    let chunkSize: Int

    /// Name used in error locations (a path, or a caller-chosen label).
    let sourceName: String?
    /// The feature whose bytes are being parsed, for error locations.
    var featureIndex: Int?
    /// The deepest array/object nesting accepted.
    let maxDepth: Int
    private var depth = 0
    /// Bytes of the string or number being read.
    private var scratch: [UInt8] = []
    /// Where the last number read lies in `buffer` (nil: it is in `scratch`).
    private var numberInBuffer: Range<Int>?
    /// High-water mark of bytes held: the chunk buffer plus the token scratch.
    private(set) var maxBufferedBytes = 0

    /// A parser over bytes in memory.
    init(bytes: [UInt8], name: String?, maxDepth: Int = 256) {
        buffer = bytes
        file = nil
        end = bytes.count
        atEOF = true
        chunkSize = bytes.count
        sourceName = name
        self.maxDepth = maxDepth
        maxBufferedBytes = bytes.count
    }

    /// A parser over the file at `path`, read `chunkSize` bytes at a time.
    ///
    /// - Throws: `IOFileError` when the file cannot be opened.
    init(path: String, chunkSize: Int, maxDepth: Int = 256) throws {
        file = try JSONFileHandle(path: path)
        self.chunkSize = max(16, chunkSize)
        buffer = [UInt8](repeating: 0, count: self.chunkSize)
        end = 0
        atEOF = false
        sourceName = path
        self.maxDepth = maxDepth
        maxBufferedBytes = self.chunkSize
    }

    /// The absolute byte offset of the next unread byte.
    var offset: Int { base + pos }

    /// Continues reading at absolute `offset` (a position this parser has already passed).
    mutating func seek(to offset: Int) throws {
        depth = 0
        if let file {
            guard fseeko(file.pointer, off_t(offset), SEEK_SET) == 0 else {
                throw IOFileError.fromErrno("seek to byte \(offset)", path: sourceName ?? "")
            }
            base = offset; pos = 0; end = 0; atEOF = false
        } else {
            pos = offset
        }
    }

    // MARK: Bytes

    /// Reads the next chunk when the buffer is used up; `false` at the end of the source.
    private mutating func refill() throws -> Bool {
        guard let file, !atEOF else { return false }
        base += end
        pos = 0
        let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, file.pointer) }
        if n < chunkSize {
            if ferror(file.pointer) != 0 { throw IOFileError.fromErrno("read", path: sourceName ?? "") }
            if n == 0 { atEOF = true }
        }
        end = n
        return n > 0
    }

    /// The next byte without consuming it; `nil` at the end of the source.
    @inline(__always) mutating func peek() throws -> UInt8? {
        if pos < end { return buffer[pos] }
        return try refill() ? buffer[pos] : nil
    }

    /// The next byte, consumed; an error at the end of the source.
    @inline(__always) private mutating func next(_ what: @autoclosure () -> String) throws -> UInt8 {
        if pos == end, !(try refill()) { throw error("unexpected end of input in \(what())") }
        let b = buffer[pos]
        pos += 1
        return b
    }

    /// Skips a UTF-8 byte-order mark at the current position (call at offset 0 only).
    mutating func skipByteOrderMark() throws {
        guard offset == 0, try peek() == 0xEF else { return }
        pos += 1
        guard try next("a byte-order mark") == 0xBB, try next("a byte-order mark") == 0xBF else {
            throw error("invalid UTF-8 at the start of the document", at: 0)
        }
    }

    /// Skips whitespace and returns the next byte (not consumed), or `nil` at the end.
    mutating func skipWhitespace() throws -> UInt8? {
        while let b = try peek() {
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return b }
            pos += 1
        }
        return nil
    }

    /// Consumes `byte` after optional whitespace, or throws naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected \(what)") }
        guard b == byte else { throw error("expected \(what), found \(describe(b))") }
        pos += 1
    }

    /// Consumes the byte `peek()` just returned.
    mutating func advance() { pos += 1 }

    /// Throws unless only whitespace remains.
    mutating func expectEnd() throws {
        if let b = try skipWhitespace() { throw error("unexpected \(describe(b)) after the end of the JSON document") }
    }

    // MARK: Values

    /// Parses one value after optional whitespace.
    mutating func parseValue() throws -> JSONValue {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected a value") }
        switch b {
        case UInt8(ascii: "{"):
            pos += 1
            try enter()
            var object = JSONObject()
            var seen: Set<String>?
            if try skipWhitespace() == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(object) }
            repeat {
                let keyOffset = try positionOfString()
                let key = try parseString()
                if object.count >= 16 {
                    if seen == nil { seen = Set(object.keys) }
                    if !seen!.insert(key).inserted { throw error("duplicate key \"\(key)\"", at: keyOffset) }
                } else if object[key] != nil {
                    throw error("duplicate key \"\(key)\"", at: keyOffset)
                }
                try expect(UInt8(ascii: ":"), "':' after an object key")
                object.appendUnchecked(key, try parseValue())
            } while try objectContinues()
            depth -= 1
            return .object(object)
        case UInt8(ascii: "["):
            pos += 1
            try enter()
            var array: [JSONValue] = []
            if try skipWhitespace() == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array(array) }
            repeat { array.append(try parseValue()) } while try arrayContinues()
            depth -= 1
            return .array(array)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            return try parseLiteral()
        }
    }

    /// Checks a value's syntax without building it (same strictness as `parseValue`).
    mutating func skipValue() throws {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected a value") }
        switch b {
        case UInt8(ascii: "{"):
            pos += 1
            try enter()
            if try skipWhitespace() == UInt8(ascii: "}") { pos += 1; depth -= 1; return }
            // Duplicate keys are only detected when values are built; skimming checks syntax.
            repeat {
                _ = try positionOfString()
                try readString(store: false)
                try expect(UInt8(ascii: ":"), "':' after an object key")
                try skipValue()
            } while try objectContinues()
            depth -= 1
        case UInt8(ascii: "["):
            pos += 1
            try enter()
            if try skipWhitespace() == UInt8(ascii: "]") { pos += 1; depth -= 1; return }
            repeat { try skipValue() } while try arrayContinues()
            depth -= 1
        case UInt8(ascii: "\""):
            try readString(store: false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber(convert: false)
        default:
            _ = try parseLiteral()
        }
    }

    /// Counts one more level of nesting for a `[` or `{` just consumed.
    mutating func enter() throws {
        depth += 1
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) arrays/objects", at: offset - 1) }
    }

    /// Counts one level less after the matching `]` or `}`.
    mutating func leave() { depth -= 1 }

    /// After an array element: `true` on `,`, `false` on `]`. A `]` right after `,` is a trailing comma.
    mutating func arrayContinues() throws -> Bool {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected ',' or ']' in an array") }
        if b == UInt8(ascii: "]") { pos += 1; return false }
        guard b == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array, found \(describe(b))") }
        pos += 1
        if try skipWhitespace() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
        return true
    }

    /// After an object member: `true` on `,`, `false` on `}`.
    mutating func objectContinues() throws -> Bool {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected ',' or '}' in an object") }
        if b == UInt8(ascii: "}") { pos += 1; return false }
        guard b == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object, found \(describe(b))") }
        pos += 1
        if try skipWhitespace() == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
        return true
    }

    /// Skips whitespace, checks that a string (an object key) starts here, and returns its offset.
    mutating func positionOfString() throws -> Int {
        guard let b = try skipWhitespace() else { throw error("unexpected end of input: expected an object key") }
        guard b == UInt8(ascii: "\"") else { throw error("expected a string key, found \(describe(b))") }
        return offset
    }

    mutating func parseLiteral() throws -> JSONValue {
        let start = offset
        let b = try next("a value")
        let (word, value): (String, JSONValue) = switch b {
        case UInt8(ascii: "t"): ("true", .bool(true))
        case UInt8(ascii: "f"): ("false", .bool(false))
        case UInt8(ascii: "n"): ("null", .null)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw error("NaN and Infinity are not valid JSON numbers", at: start)
        default:
            throw error("unexpected \(describe(b)): expected a value", at: start)
        }
        for expected in word.utf8.dropFirst() {
            guard try peek() == expected else { throw error("invalid literal: expected \"\(word)\"", at: start) }
            pos += 1
        }
        return value
    }

    // MARK: Numbers

    /// Reads a number at the current position (which starts with `-` or a digit).
    mutating func parseNumber() throws -> JSONNumber {
        let value = try scanNumber()
        let text = numberInBuffer.map { String(decoding: buffer[$0], as: UTF8.self) } ?? String(decoding: scratch, as: UTF8.self)
        return JSONNumber(validatedText: text, value: value)
    }

    @inline(__always) private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// Reads a number's value without keeping its text (coordinates need only the value).
    /// The validated text is left in `buffer[numberInBuffer]`, or in `scratch` when that is nil.
    ///
    /// With `convert: false` (skimming), the value is computed only when it could be out of
    /// range (an exponent, or 309 or more digits), and is 0 otherwise.
    mutating func scanNumber(convert: Bool = true) throws -> Double {
        // Fast path: a valid, finite number that ends inside the buffer is read in place.
        var i = pos
        while i < end, JSONStrictParser.isNumberByte(buffer[i]) { i += 1 }
        if i < end, i - pos <= 1100, (buffer[i] | 0x20) < 0x61 || (buffer[i] | 0x20) > 0x7A,
           JSONGrammar.numberLength(buffer, from: pos) == i - pos {
            let range = pos..<i
            let text = buffer[range]
            if !convert && text.count < 309 && !text.contains(UInt8(ascii: "e")) && !text.contains(UInt8(ascii: "E")) {
                pos = i
                numberInBuffer = range
                return 0
            }
            let value = IODecimal.value(of: text)
            if value.isFinite {
                pos = i
                numberInBuffer = range
                return value
            }
            // Out of range: the path below reports it.
        }
        numberInBuffer = nil
        let start = offset
        scratch.removeAll(keepingCapacity: true)
        while let b = try peek(), (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
            scratch.append(b)
            pos += 1
            if scratch.count > 1100 { throw error("number is too long", at: start) }
        }
        noteScratch()
        if let letter = try peek(), (letter | 0x20) >= 0x61 && (letter | 0x20) <= 0x7A {
            // `-Infinity`, `0x1F`, `1f`: letters glued to a number.
            throw error("invalid number \"\(String(decoding: scratch, as: UTF8.self))\(Character(Unicode.Scalar(letter)))…\" (NaN, Infinity and hexadecimal are not JSON)", at: start)
        }
        let valid = JSONGrammar.numberLength(scratch, from: 0)
        guard valid == scratch.count else {
            let text = String(decoding: scratch, as: UTF8.self)
            let digitsStart = scratch.first == UInt8(ascii: "-") ? 1 : 0
            if scratch.count > digitsStart + 1, scratch[digitsStart] == UInt8(ascii: "0"),
               scratch[digitsStart + 1] >= 0x30 && scratch[digitsStart + 1] <= 0x39 {
                throw error("invalid number \"\(text)\": leading zeros are not allowed", at: start)
            }
            throw error("invalid number \"\(text)\"", at: start)
        }
        if !convert && scratch.count < 309
            && !scratch.contains(UInt8(ascii: "e")) && !scratch.contains(UInt8(ascii: "E")) {
            return 0 // fewer than 309 digits and no exponent: finite, and the value is not wanted
        }
        let value = IODecimal.value(of: scratch)
        guard value.isFinite else {
            throw error("number \(String(decoding: scratch, as: UTF8.self)) is out of range for a double", at: start)
        }
        return value
    }

    // MARK: Strings

    /// Reads a string at the current position (which is `"`).
    mutating func parseString() throws -> String {
        try readString(store: true)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Validates a string; with `store`, its decoded UTF-8 is left in `scratch`.
    mutating func readString(store: Bool) throws {
        let start = offset
        pos += 1 // the opening quote
        scratch.removeAll(keepingCapacity: true)
        defer { noteScratch() }
        while true {
            if pos == end, !(try refill()) { throw error("unterminated string (it starts at byte \(start))") }
            let b = buffer[pos]
            if b == UInt8(ascii: "\"") { pos += 1; return }
            if b < 0x20 {
                throw error("control character \(describe(b)) in a string must be escaped")
            }
            if b == UInt8(ascii: "\\") {
                pos += 1
                try readEscape(store: store)
                continue
            }
            if b < 0x80 {
                if store { scratch.append(b) }
                pos += 1
                continue
            }
            try readMultibyte(store: store)
        }
    }

    /// One validated UTF-8 sequence of 2–4 bytes (RFC 3629 table: no overlongs, no surrogates, ≤ U+10FFFF).
    private mutating func readMultibyte(store: Bool) throws {
        let at = offset
        let lead = try next("a string")
        var count: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; high = 0x9F
        case 0xF0: count = 3; low = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; high = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true)) in a string", at: at)
        }
        if store { scratch.append(lead) }
        for i in 0..<count {
            let b = try next("a string")
            let ok = i == 0 ? (b >= low && b <= high) : (b >= 0x80 && b <= 0xBF)
            if !ok { throw error("invalid UTF-8 sequence in a string", at: at) }
            if store { scratch.append(b) }
        }
    }

    private mutating func readEscape(store: Bool) throws {
        let at = offset - 1
        let e = try next("an escape")
        let plain: UInt8? = switch e {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let plain { if store { scratch.append(plain) }; return }
        guard e == UInt8(ascii: "u") else { throw error("invalid escape \\\(Character(Unicode.Scalar(e)))", at: at) }
        var scalar = try readHex4(at: at)
        if scalar >= 0xDC00 && scalar <= 0xDFFF {
            throw error("lone low surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: at)
        }
        if scalar >= 0xD800 && scalar <= 0xDBFF {
            guard try peek() == UInt8(ascii: "\\") else {
                throw error("lone high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: at)
            }
            pos += 1
            guard try next("an escape") == UInt8(ascii: "u") else {
                throw error("lone high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) in a string", at: at)
            }
            let low = try readHex4(at: at)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw error("high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) is not followed by a low surrogate", at: at)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        if store, let s = Unicode.Scalar(scalar) { scratch.append(contentsOf: UTF8.encode(s)!) }
    }

    private mutating func readHex4(at: Int) throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let h = try next("a \\u escape")
            let d: UInt32
            switch h {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(h - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(h - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(h - 0x41 + 10)
            default: throw error("invalid \\u escape: expected 4 hexadecimal digits", at: at)
            }
            v = v << 4 | d
        }
        return v
    }

    private mutating func noteScratch() {
        let held = (file == nil ? 0 : buffer.count) + scratch.capacity
        if held > maxBufferedBytes { maxBufferedBytes = held }
    }

    // MARK: Errors

    func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    /// A `FormatError` at `at` (default: the current offset) naming the source and feature.
    func error(_ message: String, at: Int? = nil) -> FormatError {
        FormatError("JSON: \(message)", at: SourceLocation(file: sourceName, byteOffset: at ?? offset, feature: featureIndex))
    }
}

/// Owns the `FILE *` of a file-backed parser and closes it when the last copy goes away.
final class JSONFileHandle {
    let pointer: UnsafeMutablePointer<FILE>

    /// - Throws: `IOFileError` when the file cannot be opened for reading.
    init(path: String) throws {
        guard let f = fopen(path, "rb") else { throw IOFileError.fromErrno("open \(path) for reading", path: path) }
        pointer = f
    }

    deinit { fclose(pointer) }
}
