#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// A strict, allocation-light RFC 8259 reader for event objects, over the request bytes.
///
/// Foundation's `JSONDecoder` builds a tree for each body and costs several microseconds per
/// event; the batch endpoint's budget is one microsecond per event for everything. This reader
/// walks the bytes once, keeps only the seven members it knows, and validates (without storing)
/// everything else. It refuses what RFC 8259 refuses: `NaN`/`Infinity` tokens, leading zeros,
/// control characters in strings, lone surrogates, invalid UTF-8, trailing text; nesting is
/// bounded (``maxDepth``) so a hostile body cannot exhaust the stack.
struct EventJSONReader {
    /// Deepest nesting accepted inside an event's unknown members.
    static let maxDepth = 32

    let bytes: UnsafeRawBufferPointer
    /// The offset of `bytes[0]` in the whole body (for NDJSON lines), so errors name body offsets.
    let base: Int
    /// The read position.
    var i: Int

    init(_ bytes: UnsafeRawBufferPointer, base: Int = 0) {
        self.bytes = bytes
        self.base = base
        self.i = 0
    }

    var atEnd: Bool { i >= bytes.count }

    // MARK: Tokens

    func syntax(_ message: String, field: String? = nil, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: base + (offset ?? i), field: field, message: message)
    }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// Skips a UTF-8 byte order mark at the start (tolerated, as everywhere in TwinGeo).
    mutating func skipBOM() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    }

    func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func expect(_ byte: UInt8, _ what: String, field: String? = nil) throws(JSONSyntaxError) {
        guard i < bytes.count else { throw syntax("unexpected end of the body, expected \(what)", field: field) }
        guard bytes[i] == byte else { throw syntax("expected \(what), found \(describe(bytes[i]))", field: field) }
        i += 1
    }

    func describe(_ b: UInt8) -> String {
        (0x21 ... 0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    // MARK: Events

    /// Reads one event object at the read position.
    ///
    /// - Returns: the event, or the problem with it (a well-formed object that is not a usable
    ///   event: missing or non-finite coordinates, unknown CRS, bad time, wrong member types).
    /// - Throws: ``JSONSyntaxError`` when the text is not JSON; nothing after the object is read.
    mutating func readEvent() throws(JSONSyntaxError) -> Result<EventInput, EventProblem> {
        skipWhitespace()
        guard let first = peek() else { throw syntax("unexpected end of the body, expected an event object") }
        guard first == UInt8(ascii: "{") else {
            let start = i
            try skipValue(depth: 0, field: nil)
            return .failure(EventProblem(field: nil, message: "an event must be a JSON object, not \(kindName(bytes[start]))"))
        }
        i += 1
        var id: String?, lon: Double?, lat: Double?, crs: CRS?, category: String?, time: Double?, address: String?
        var seen: UInt8 = 0
        var problem: EventProblem?
        func note(_ p: EventProblem) { if problem == nil { problem = p } }

        skipWhitespace()
        if peek() == UInt8(ascii: "}") { i += 1; return .failure(EventProblem(field: "lon", message: "lon is missing")) }
        while true {
            skipWhitespace()
            let key = try readKey()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            skipWhitespace()
            if let k = key {
                let bit: UInt8 = 1 << k.rawValue
                if seen & bit != 0 { note(EventProblem(field: k.name, message: "\(k.name) appears twice")) }
                seen |= bit
                switch k {
                case .id:
                    let c = peek() ?? 0
                    if c == UInt8(ascii: "\"") {
                        id = try readString(field: k.name)
                    } else if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
                        id = String(decoding: try numberBytes(field: k.name), as: UTF8.self)
                    } else {
                        try skipTyped(k, "a string or a number", note)
                    }
                case .lon, .lat:
                    if let c = peek(), c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
                        let v = try readNumber(field: k.name)
                        if !v.isFinite {
                            note(EventProblem(field: k.name, message: "\(k.name) is not finite (a number beyond ±1.8e308)"))
                        }
                        if k == .lon { lon = v } else { lat = v }
                    } else if peek() == UInt8(ascii: "N") || peek() == UInt8(ascii: "I") {
                        throw syntax("\(k.name): NaN and Infinity are not JSON numbers; a coordinate must be finite", field: k.name)
                    } else {
                        try skipTyped(k, "a number", note)
                    }
                case .crs:
                    if peek() == UInt8(ascii: "\"") {
                        let name = try readString(field: k.name)
                        if let parsed = CRS(name: name) { crs = parsed } else {
                            note(EventProblem(field: k.name, message: "unknown CRS \"\(name)\" (use wgs84, cgcs2000, gcj02, bd09 or EPSG:n)"))
                        }
                    } else if try !readNull() {
                        try skipTyped(k, "a string", note)
                    }
                case .category:
                    if peek() == UInt8(ascii: "\"") {
                        let text = try readString(field: k.name)
                        if text.isEmpty { note(EventProblem(field: k.name, message: "category is empty")) }
                        category = text
                    } else {
                        try skipTyped(k, "a string", note)
                    }
                case .time:
                    if peek() == UInt8(ascii: "\"") {
                        let start = i
                        let text = try readString(field: k.name)
                        if let t = EventTime.parse(text) { time = t } else {
                            _ = start
                            note(EventProblem(field: k.name, message: "time \"\(text)\" is not an RFC 3339 instant "
                                              + "(2025-01-04T12:55:03+08:00) or a date (2025-01-04) in the years 1–9999"))
                        }
                    } else if try !readNull() {
                        try skipTyped(k, "a string", note)
                    }
                case .address:
                    if peek() == UInt8(ascii: "\"") { address = try readString(field: k.name) } else if try !readNull() {
                        try skipTyped(k, "a string", note)
                    }
                }
            } else {
                try skipValue(depth: 1, field: nil)
            }
            skipWhitespace()
            guard let b = peek() else { throw syntax("unexpected end of the body inside an event object") }
            i += 1
            if b == UInt8(ascii: "}") { break }
            guard b == UInt8(ascii: ",") else { throw syntax("expected ',' or '}' in an event object, found \(describe(b))", at: i - 1) }
        }
        if let problem { return .failure(problem) }
        guard let lon else { return .failure(EventProblem(field: "lon", message: "lon is missing")) }
        guard let lat else { return .failure(EventProblem(field: "lat", message: "lat is missing")) }
        guard let id else { return .failure(EventProblem(field: "id", message: "id is missing")) }
        guard let category else { return .failure(EventProblem(field: "category", message: "category is missing")) }
        let c = crs ?? .wgs84
        if c.isGeographicDegrees {
            guard (-180 ... 180).contains(lon) else { return .failure(EventProblem(field: "lon", message: "lon \(lon) is outside -180…180")) }
            guard (-90 ... 90).contains(lat) else { return .failure(EventProblem(field: "lat", message: "lat \(lat) is outside -90…90")) }
        }
        return .success(EventInput(id: id, lon: lon, lat: lat, crs: c, category: category, time: time, address: address))
    }

    /// The members an event object may carry.
    enum Member: UInt8 {
        case id, lon, lat, crs, category, time, address
        var name: String {
            switch self {
            case .id: "id"
            case .lon: "lon"
            case .lat: "lat"
            case .crs: "crs"
            case .category: "category"
            case .time: "time"
            case .address: "address"
            }
        }
    }

    /// Reads a member name; `nil` for names the server does not use.
    mutating func readKey() throws(JSONSyntaxError) -> Member? {
        guard peek() == UInt8(ascii: "\"") else {
            throw i < bytes.count ? syntax("expected a member name in quotes, found \(describe(bytes[i]))")
                : syntax("unexpected end of the body, expected a member name")
        }
        let start = i + 1
        var j = start
        // Fast path: a name without escapes is compared byte for byte.
        while j < bytes.count, bytes[j] != UInt8(ascii: "\""), bytes[j] != UInt8(ascii: "\\"), bytes[j] >= 0x20 { j += 1 }
        if j < bytes.count, bytes[j] == UInt8(ascii: "\"") {
            i = j + 1
            return Self.member(UnsafeRawBufferPointer(rebasing: bytes[start ..< j]))
        }
        let name = try readString(field: nil)
        return Array(name.utf8).withUnsafeBytes { Self.member($0) }
    }

    static func member(_ name: UnsafeRawBufferPointer) -> Member? {
        func equal(_ s: StaticString) -> Bool {
            s.utf8CodeUnitCount == name.count && memcmp(s.utf8Start, name.baseAddress!, name.count) == 0
        }
        guard name.count >= 2 else { return nil }
        switch name.count {
        case 2: return equal("id") ? .id : nil
        case 3: return equal("lon") ? .lon : equal("lat") ? .lat : equal("crs") ? .crs : nil
        case 4: return equal("time") ? .time : nil
        case 7: return equal("address") ? .address : nil
        case 8: return equal("category") ? .category : nil
        default: return nil
        }
    }

    /// Skips a member value of the wrong JSON type and records why.
    mutating func skipTyped(_ k: Member, _ wanted: String, _ note: (EventProblem) -> Void) throws(JSONSyntaxError) {
        let start = i
        try skipValue(depth: 1, field: k.name)
        note(EventProblem(field: k.name, message: "\(k.name) must be \(wanted), not \(kindName(bytes[start]))"))
    }

    func kindName(_ first: UInt8) -> String {
        switch first {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }

    /// Reads `null` if it is next.
    mutating func readNull() throws(JSONSyntaxError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(word.utf8Start, bytes.baseAddress! + i, n) == 0 else {
            throw syntax("invalid literal (expected \(word))")
        }
        i += n
    }

    // MARK: Values

    /// Validates and skips any JSON value.
    mutating func skipValue(depth: Int, field: String?) throws(JSONSyntaxError) {
        guard depth <= Self.maxDepth else { throw syntax("nesting deeper than \(Self.maxDepth) levels", field: field) }
        guard let b = peek() else { throw syntax("unexpected end of the body, expected a value", field: field) }
        switch b {
        case UInt8(ascii: "\""): _ = try readString(field: field)
        case UInt8(ascii: "-"), 0x30 ... 0x39: _ = try numberBytes(field: field)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "["):
            i += 1; skipWhitespace()
            if peek() == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1, field: field)
                skipWhitespace()
                guard let c = peek() else { throw syntax("unexpected end of the body inside an array", field: field) }
                i += 1
                if c == UInt8(ascii: "]") { return }
                guard c == UInt8(ascii: ",") else { throw syntax("expected ',' or ']' in an array, found \(describe(c))", field: field, at: i - 1) }
            }
        case UInt8(ascii: "{"):
            i += 1; skipWhitespace()
            if peek() == UInt8(ascii: "}") { i += 1; return }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw syntax("expected a member name in quotes", field: field) }
                _ = try readString(field: field)
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after a member name", field: field)
                skipWhitespace()
                try skipValue(depth: depth + 1, field: field)
                skipWhitespace()
                guard let c = peek() else { throw syntax("unexpected end of the body inside an object", field: field) }
                i += 1
                if c == UInt8(ascii: "}") { return }
                guard c == UInt8(ascii: ",") else { throw syntax("expected ',' or '}' in an object, found \(describe(c))", field: field, at: i - 1) }
            }
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw syntax("NaN and Infinity are not JSON numbers", field: field)
        default:
            throw syntax("expected a JSON value, found \(describe(b))", field: field)
        }
    }

    /// The bytes of a JSON number at the read position, checked against RFC 8259's grammar.
    mutating func numberBytes(field: String?) throws(JSONSyntaxError) -> UnsafeRawBufferPointer {
        let start = i
        func digit(_ j: Int) -> Bool { j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 }
        if bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") {
                throw syntax("NaN and Infinity are not JSON numbers; a coordinate must be finite", field: field)
            }
        }
        guard digit(i) else { throw syntax("a number needs a digit after '-'", field: field) }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if digit(i) { throw syntax("a number must not have a leading zero", field: field) }
        } else {
            while digit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw syntax("a number needs a digit after '.'", field: field) }
            while digit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { throw syntax("a number needs a digit in its exponent", field: field) }
            while digit(i) { i += 1 }
        }
        if i < bytes.count, (bytes[i] >= 0x41 && bytes[i] <= 0x5A) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A) {
            throw syntax("a number is followed by \(describe(bytes[i])) (hex and words are not JSON numbers)", field: field)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start ..< i])
    }

    /// Reads a JSON number as the nearest double (correctly rounded, by `strtod` on the checked
    /// text); a magnitude beyond the double range gives ±infinity, which callers refuse.
    mutating func readNumber(field: String?) throws(JSONSyntaxError) -> Double {
        let text = try numberBytes(field: field)
        if text.count < 64 {
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
                let base = buf.baseAddress!
                UnsafeMutableRawPointer(base).copyMemory(from: text.baseAddress!, byteCount: text.count)
                base[text.count] = 0
                return strtod(base, nil)
            }
        }
        return Double(String(decoding: text, as: UTF8.self)) ?? .nan
    }

    /// Reads a JSON string (escapes decoded, UTF-8 validated).
    mutating func readString(field: String?) throws(JSONSyntaxError) -> String {
        try expect(UInt8(ascii: "\""), "a string", field: field)
        let start = i
        var ascii = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start ..< i])
                i += 1
                if ascii { return String(decoding: raw, as: UTF8.self) }
                guard let s = String(validating: raw, as: UTF8.self) else {
                    throw syntax("a string is not valid UTF-8", field: field, at: start - 1)
                }
                return s
            }
            if b == UInt8(ascii: "\\") { i = start; return try readEscapedString(field: field) }
            if b < 0x20 { throw syntax("a control character (0x\(String(b, radix: 16))) inside a string must be escaped", field: field) }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        throw syntax("unexpected end of the body inside a string", field: field)
    }

    /// The slow path of ``readString(field:)``: a string with escapes.
    mutating func readEscapedString(field: String?) throws(JSONSyntaxError) -> String {
        var out: [UInt8] = []
        func hex4() throws(JSONSyntaxError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw syntax("a \\u escape needs four hex digits", field: field) }
            var v: UInt32 = 0
            for _ in 0 ..< 4 {
                let c = bytes[i]
                let d: UInt32
                switch c {
                case 0x30 ... 0x39: d = UInt32(c - 0x30)
                case 0x41 ... 0x46: d = UInt32(c - 0x41 + 10)
                case 0x61 ... 0x66: d = UInt32(c - 0x61 + 10)
                default: throw syntax("a \\u escape needs four hex digits", field: field)
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw syntax("a string is not valid UTF-8", field: field) }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]; i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800 ..< 0xDC00).contains(scalar) {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw syntax("a lone UTF-16 surrogate in a \\u escape", field: field)
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00 ..< 0xE000).contains(low) else { throw syntax("a lone UTF-16 surrogate in a \\u escape", field: field) }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00 ..< 0xE000).contains(scalar) {
                        throw syntax("a lone UTF-16 surrogate in a \\u escape", field: field)
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw syntax("invalid escape \\\(Character(Unicode.Scalar(e)))", field: field, at: i - 2)
                }
            default:
                if b < 0x20 { throw syntax("a control character (0x\(String(b, radix: 16))) inside a string must be escaped", field: field) }
                out.append(b); i += 1
            }
        }
        throw syntax("unexpected end of the body inside a string", field: field)
    }
}
