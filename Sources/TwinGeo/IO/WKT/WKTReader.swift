/// Reads OGC Well-Known Text (simple features 1.2 / ISO 13249-3 syntax) into a `Geometry`.
///
/// Accepted: the seven 2D types in any letter case; `EMPTY` at every level
/// (`POINT EMPTY`, `MULTIPOINT (EMPTY, (1 2))`, `POLYGON ((…), EMPTY)` is refused because a
/// ring cannot be empty); both `MULTIPOINT (1 2, 3 4)` and `MULTIPOINT ((1 2), (3 4))`.
/// Numbers are strict decimal (`[+-]digits[.digits][e[+-]digits]`, also `.5` and `5.`): no
/// `nan`, `inf`, hexadecimal, or values beyond ±1.8e308.
///
/// Z, M and ZM input (`POINT Z (1 2 3)`, `POINTM (1 2 3)`, or simply three numbers per
/// position) is refused with an error that names the dimension, unless
/// `Options.dropZM` is set, in which case the extra ordinates are dropped.
///
/// Structural rules (see `IOGeometryRules`): line strings have 0 or ≥ 2 positions, rings are
/// closed with ≥ 4 positions, collections nest at most 32 deep.
///
/// Errors are `FormatError`s whose location has `line`, `column` (in characters, 1-based)
/// and `byteOffset` (0-based, UTF-8), and whose message quotes the text at that place.
public struct WKTReader: Sendable {
    /// Reading options.
    public struct Options: Sendable, Hashable {
        /// Drop Z and M ordinates instead of refusing them.
        public var dropZM: Bool
        public init(dropZM: Bool = false) { self.dropZM = dropZM }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Parses one geometry; only whitespace may follow it.
    ///
    /// - Parameter text: WKT text.
    /// - Returns: the geometry.
    /// - Throws: `FormatError` with the line, column and byte offset of the problem.
    /// - Complexity: O(n) in the length of `text`.
    public func read(_ text: String) throws -> Geometry {
        var parser = WKTParser(bytes: Array(text.utf8), options: options)
        return try parser.parseDocument()
    }
}

extension Geometry {
    /// Parses Well-Known Text; see `WKTReader` for what is accepted.
    ///
    /// - Throws: `FormatError` naming the line, column and byte offset of the problem.
    public init(wkt: String, options: WKTReader.Options = WKTReader.Options()) throws {
        self = try WKTReader(options: options).read(wkt)
    }
}

/// Recursive-descent parser over the UTF-8 bytes of one WKT string.
struct WKTParser {
    let bytes: [UInt8]
    let options: WKTReader.Options
    var pos = 0

    init(bytes: [UInt8], options: WKTReader.Options) {
        self.bytes = bytes
        self.options = options
    }

    /// The ordinate layout of the geometry being read; collections give each child its own.
    struct Dimensions {
        /// Declared with a `Z`, `M` or `ZM` tag (fixes the count); otherwise the first position does.
        var ordinates: Int?
        /// Where the dimension was fixed, for messages.
        var tag: String
    }

    mutating func parseDocument() throws -> Geometry {
        skipSpace()
        let g = try parseGeometry(depth: 0)
        skipSpace()
        if pos < bytes.count { throw error("unexpected text after the geometry") }
        return g
    }

    // MARK: Geometry grammar

    mutating func parseGeometry(depth: Int) throws -> Geometry {
        let typeStart = pos
        guard let word = readWord() else { throw error("expected a geometry type such as POINT or POLYGON") }
        var name = word.uppercased()
        var tag = ""
        // `POINTZ`, `POINTM`, `POINTZM` are common spellings of the tagged forms.
        for base in WKTParser.typeNames where name != base && name.hasPrefix(base) {
            let suffix = String(name.dropFirst(base.count))
            if suffix == "Z" || suffix == "M" || suffix == "ZM" { name = base; tag = suffix }
        }
        guard WKTParser.typeNames.contains(name) else {
            throw error("unknown geometry type \"\(word)\"", at: typeStart)
        }
        if tag.isEmpty {
            let save = pos
            skipSpace()
            if let next = readWord() {
                let upper = next.uppercased()
                if upper == "Z" || upper == "M" || upper == "ZM" { tag = upper } else { pos = save }
            }
        }
        var dims = Dimensions(ordinates: nil, tag: "")
        if !tag.isEmpty {
            dims = Dimensions(ordinates: 2 + tag.count, tag: "\(name) \(tag)")
            try refuseExtraDimensions(ordinates: 2 + tag.count, tag: tag, at: typeStart)
        }
        switch name {
        case "POINT":
            if try readEmpty() { return .point(.empty) }
            try expect("(")
            let c = try readPosition(&dims)
            try expect(")")
            return .point(Point(c))
        case "LINESTRING":
            return .lineString(LineString(try readLineString(&dims)))
        case "POLYGON":
            return .polygon(try readPolygon(&dims))
        case "MULTIPOINT":
            if try readEmpty() { return .multiPoint(MultiPoint([])) }
            try expect("(")
            var points: [Point] = []
            repeat {
                skipSpace()
                if try readEmpty() {
                    points.append(.empty)
                } else if peek() == UInt8(ascii: "(") {
                    pos += 1
                    points.append(Point(try readPosition(&dims)))
                    try expect(")")
                } else {
                    points.append(Point(try readPosition(&dims)))
                }
            } while try readComma()
            try expect(")")
            return .multiPoint(MultiPoint(points))
        case "MULTILINESTRING":
            if try readEmpty() { return .multiLineString(MultiLineString([])) }
            try expect("(")
            var lines: [LineString] = []
            repeat { lines.append(LineString(try readLineString(&dims))) } while try readComma()
            try expect(")")
            return .multiLineString(MultiLineString(lines))
        case "MULTIPOLYGON":
            if try readEmpty() { return .multiPolygon(MultiPolygon([])) }
            try expect("(")
            var polygons: [Polygon] = []
            repeat { polygons.append(try readPolygon(&dims)) } while try readComma()
            try expect(")")
            return .multiPolygon(MultiPolygon(polygons))
        default: // GEOMETRYCOLLECTION
            if try readEmpty() { return .geometryCollection(GeometryCollection([])) }
            if depth >= IOGeometryRules.maxNestingDepth {
                throw error("geometry collections nested deeper than \(IOGeometryRules.maxNestingDepth)", at: typeStart)
            }
            try expect("(")
            var children: [Geometry] = []
            repeat {
                skipSpace()
                children.append(try parseGeometry(depth: depth + 1))
            } while try readComma()
            try expect(")")
            return .geometryCollection(GeometryCollection(children))
        }
    }

    static let typeNames = ["POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
                            "MULTIPOLYGON", "GEOMETRYCOLLECTION"]

    /// `EMPTY` or `( position, … )`; 1 position is refused.
    mutating func readLineString(_ dims: inout Dimensions) throws -> [Coordinate] {
        skipSpace()
        let start = pos
        if try readEmpty() { return [] }
        let coordinates = try readPositionList(&dims)
        if let problem = IOGeometryRules.lineStringProblem(coordinates) { throw error(problem, at: start) }
        return coordinates
    }

    /// `EMPTY` or `( ring, … )` where each ring is closed with ≥ 4 positions.
    mutating func readPolygon(_ dims: inout Dimensions) throws -> Polygon {
        skipSpace()
        if try readEmpty() { return .empty }
        try expect("(")
        var rings: [[Coordinate]] = []
        repeat {
            skipSpace()
            let start = pos
            if try readEmpty() { throw error("a polygon ring cannot be EMPTY", at: start) }
            let ring = try readPositionList(&dims)
            if let problem = IOGeometryRules.ringProblem(ring) { throw error(problem, at: start) }
            rings.append(ring)
        } while try readComma()
        try expect(")")
        return Polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
    }

    /// `( position, position, … )`.
    mutating func readPositionList(_ dims: inout Dimensions) throws -> [Coordinate] {
        try expect("(")
        var coordinates: [Coordinate] = []
        repeat { coordinates.append(try readPosition(&dims)) } while try readComma()
        try expect(")")
        return coordinates
    }

    /// Two to four numbers separated by whitespace; the first two are kept.
    mutating func readPosition(_ dims: inout Dimensions) throws -> Coordinate {
        skipSpace()
        let start = pos
        // x and y are kept; z and m are read (and checked) only to be dropped.
        var x = 0.0, y = 0.0, count = 0
        while true {
            skipSpace()
            guard let b = peek(), WKTParser.startsNumber(b) || WKTParser.isLetter(b) else { break }
            if count == 4 { throw error("a position has at most 4 numbers (x y z m)") }
            let value = try readNumber()
            if count == 0 { x = value } else if count == 1 { y = value }
            count += 1
        }
        if count < 2 {
            throw error(count == 0 ? "expected a position (two numbers)" : "a position needs at least 2 numbers, found 1",
                        at: count == 0 ? pos : start)
        }
        if let expected = dims.ordinates {
            if count != expected {
                let what = dims.tag.isEmpty ? "earlier positions have \(expected)" : "\(dims.tag) positions have \(expected)"
                throw error("a position has \(count) numbers but \(what)", at: start)
            }
        } else {
            dims.ordinates = count
            if count > 2 {
                dims.tag = "the first position"
                try refuseExtraDimensions(ordinates: count, tag: count == 3 ? "Z" : "ZM", at: start)
            }
        }
        return Coordinate(x, y)
    }

    /// Throws unless `dropZM`, naming the dimension found.
    func refuseExtraDimensions(ordinates: Int, tag: String, at offset: Int) throws {
        guard ordinates > 2, !options.dropZM else { return }
        let what = switch tag {
        case "Z": "Z (elevation) coordinates"
        case "M": "M (measure) coordinates"
        default: "Z and M coordinates"
        }
        throw error("the geometry has \(what); TwinGeo is 2D: set options.dropZM = true to drop them", at: offset)
    }

    // MARK: Tokens

    mutating func readNumber() throws -> Double {
        let start = pos
        var i = pos
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < bytes.count, WKTParser.isDigit(bytes[i]) { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, WKTParser.isDigit(bytes[i]) { i += 1; digits += 1 }
        }
        var valid = digits > 0
        if valid, i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < bytes.count, WKTParser.isDigit(bytes[i]) { i += 1; expDigits += 1 }
            valid = expDigits > 0
        }
        // A number must end at a delimiter: `0x10`, `1.2.3`, `12abc` are not numbers.
        if valid, i < bytes.count, !WKTParser.isDelimiter(bytes[i]) { valid = false }
        if !valid {
            var end = start
            while end < bytes.count, !WKTParser.isDelimiter(bytes[end]) { end += 1 }
            let token = String(decoding: bytes[start..<max(end, min(start + 1, bytes.count))], as: UTF8.self)
            throw error("expected a decimal number, found \"\(token)\"", at: start)
        }
        let value = IODecimal.value(of: bytes[start..<i])
        if !value.isFinite {
            throw error("number \(String(decoding: bytes[start..<i], as: UTF8.self)) is out of range for a double", at: start)
        }
        pos = i
        return value
    }

    /// Consumes `EMPTY` if it is next (any case).
    mutating func readEmpty() throws -> Bool {
        skipSpace()
        let save = pos
        if let word = readWord() {
            if word.uppercased() == "EMPTY" { return true }
            pos = save
        }
        return false
    }

    /// Consumes a `,` if it is next.
    mutating func readComma() throws -> Bool {
        skipSpace()
        if peek() == UInt8(ascii: ",") { pos += 1; return true }
        return false
    }

    mutating func expect(_ char: Character) throws {
        skipSpace()
        let ascii = char.asciiValue!
        guard peek() == ascii else {
            throw error(pos < bytes.count ? "expected '\(char)'" : "expected '\(char)' but the text ended")
        }
        pos += 1
    }

    mutating func readWord() -> String? {
        let start = pos
        while pos < bytes.count, WKTParser.isLetter(bytes[pos]) { pos += 1 }
        return pos > start ? String(decoding: bytes[start..<pos], as: UTF8.self) : nil
    }

    mutating func skipSpace() {
        while pos < bytes.count, WKTParser.isSpace(bytes[pos]) { pos += 1 }
    }

    func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func startsNumber(_ b: UInt8) -> Bool {
        isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
    }
    static func isDelimiter(_ b: UInt8) -> Bool {
        isSpace(b) || b == UInt8(ascii: ",") || b == UInt8(ascii: ")") || b == UInt8(ascii: "(")
    }

    // MARK: Errors

    /// A `FormatError` at `offset` (default: the current position) with line, column and an excerpt.
    func error(_ message: String, at offset: Int? = nil) -> FormatError {
        let at = min(offset ?? pos, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<at where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = 1 + bytes[lineStart..<at].lazy.filter { $0 & 0xC0 != 0x80 }.count
        var end = at
        while end < bytes.count, end - at < 24, bytes[end] != 0x0A { end += 1 }
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 } // whole characters only
        let excerpt = at < bytes.count ? " at \"\(String(decoding: bytes[at..<end], as: UTF8.self))\"" : " at the end of the text"
        return FormatError("WKT: \(message)\(excerpt)", at: SourceLocation(line: line, column: column, byteOffset: at))
    }
}
