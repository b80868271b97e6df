/// Reads Well-Known Binary into a `Geometry`.
///
/// Accepted: ISO WKB in either byte order (per (sub)geometry, as the format allows), types
/// 1–7; ISO Z/M/ZM codes (1001–1007, 2001–2007, 3001–3007) and PostGIS EWKB flags
/// (Z `0x80000000`, M `0x40000000`, SRID `0x20000000`) are recognised: Z or M ordinates are
/// refused unless `Options.dropZM` is set, and an SRID is read (see `readWithSRID`).
///
/// The empty point is encoded as `NaN NaN` (the ISO / GEOS convention) and read as
/// `POINT EMPTY`; any other NaN or infinity is refused.
///
/// Input is untrusted: every count is checked against the bytes that remain before anything
/// is allocated, nesting is limited to 32 levels, and trailing bytes are refused. Every
/// error is a `FormatError` whose location has the `byteOffset` of the problem.
public struct WKBReader: Sendable {
    /// Reading options.
    public struct Options: Sendable, Hashable {
        /// Drop Z and M ordinates instead of refusing them.
        public var dropZM: Bool
        public init(dropZM: Bool = false) { self.dropZM = dropZM }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Parses one WKB geometry that fills `bytes` exactly.
    ///
    /// An EWKB SRID, if present, is checked and dropped; use `readWithSRID` to get it.
    /// - Throws: `FormatError` with the byte offset of the problem.
    /// - Complexity: O(n) in the number of bytes.
    public func read<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws -> Geometry {
        try readWithSRID(bytes).geometry
    }

    /// Parses one WKB or EWKB geometry and returns the EWKB SRID of the outermost geometry
    /// (`nil` when the SRID flag is not set).
    ///
    /// - Throws: `FormatError` with the byte offset of the problem.
    public func readWithSRID<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws -> (geometry: Geometry, srid: Int32?) {
        let body = { (buffer: UnsafeRawBufferPointer) throws -> (geometry: Geometry, srid: Int32?) in
            var parser = WKBParser(buffer: buffer, options: self.options)
            let (geometry, srid) = try parser.readGeometry(depth: 0, expected: nil)
            if parser.pos != buffer.count {
                throw parser.error("\(buffer.count - parser.pos) trailing bytes after the geometry", at: parser.pos)
            }
            return (geometry, srid)
        }
        if let result = try bytes.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(bytes).withUnsafeBytes(body)
    }
}

extension Geometry {
    /// Parses Well-Known Binary (ISO or EWKB); see `WKBReader`.
    ///
    /// - Throws: `FormatError` naming the byte offset of the problem.
    public init<Bytes: Collection<UInt8>>(wkb: Bytes, options: WKBReader.Options = WKBReader.Options()) throws {
        self = try WKBReader(options: options).read(wkb)
    }
}

/// A cursor over untrusted WKB bytes.
struct WKBParser {
    let buffer: UnsafeRawBufferPointer
    let options: WKBReader.Options
    var pos = 0

    init(buffer: UnsafeRawBufferPointer, options: WKBReader.Options) {
        self.buffer = buffer
        self.options = options
    }

    /// The header of one (sub)geometry.
    struct Header {
        var littleEndian: Bool
        var base: UInt32
        var ordinates: Int
        var offset: Int
    }

    /// Reads one geometry; `expected` is the base type a multi-geometry requires of its members.
    mutating func readGeometry(depth: Int, expected: UInt32?) throws -> (Geometry, Int32?) {
        let start = pos
        if depth > IOGeometryRules.maxNestingDepth {
            throw error("geometry collections nested deeper than \(IOGeometryRules.maxNestingDepth)", at: start)
        }
        let (header, srid) = try readHeader()
        if let expected, header.base != expected {
            throw error("a \(WKBTypeCode.name(expected + 3)) member must be a \(WKBTypeCode.name(expected)), found a \(WKBTypeCode.name(header.base))", at: start)
        }
        let geometry: Geometry
        switch header.base {
        case WKBTypeCode.point:
            geometry = .point(try readPoint(header))
        case WKBTypeCode.lineString:
            let at = pos
            let cs = try readCoordinates(header)
            if let problem = IOGeometryRules.lineStringProblem(cs) { throw error(problem, at: at) }
            geometry = .lineString(LineString(cs))
        case WKBTypeCode.polygon:
            geometry = .polygon(try readPolygonBody(header))
        case WKBTypeCode.multiPoint, WKBTypeCode.multiLineString, WKBTypeCode.multiPolygon:
            let memberType = header.base - 3
            let count = try readCount(header, minimumBytesEach: 9, what: "members")
            var members: [Geometry] = []
            members.reserveCapacity(count)
            for _ in 0..<count { members.append(try readGeometry(depth: depth + 1, expected: memberType).0) }
            switch header.base {
            case WKBTypeCode.multiPoint:
                geometry = .multiPoint(MultiPoint(members.map { if case .point(let p) = $0 { p } else { .empty } }))
            case WKBTypeCode.multiLineString:
                geometry = .multiLineString(MultiLineString(members.map { if case .lineString(let l) = $0 { l } else { .empty } }))
            default:
                geometry = .multiPolygon(MultiPolygon(members.map { if case .polygon(let p) = $0 { p } else { .empty } }))
            }
        default:
            let count = try readCount(header, minimumBytesEach: 9, what: "members")
            var members: [Geometry] = []
            members.reserveCapacity(count)
            for _ in 0..<count { members.append(try readGeometry(depth: depth + 1, expected: nil).0) }
            geometry = .geometryCollection(GeometryCollection(members))
        }
        return (geometry, srid)
    }

    mutating func readHeader() throws -> (Header, Int32?) {
        let offset = pos
        guard pos < buffer.count else { throw error("truncated: expected a byte-order byte", at: pos) }
        let order = buffer[pos]
        guard order <= 1 else { throw error("bad byte-order byte \(order) (expected 0 or 1)", at: pos) }
        pos += 1
        let littleEndian = order == 1
        let typeOffset = pos
        let word = try readUInt32(littleEndian, what: "geometry type")
        let flags = word & 0xF000_0000
        var code = word & 0x0FFF_FFFF
        var hasZ = flags & WKBTypeCode.ewkbZ != 0
        var hasM = flags & WKBTypeCode.ewkbM != 0
        let hasSRID = flags & WKBTypeCode.ewkbSRID != 0
        if flags & 0x1000_0000 != 0 { throw error("unknown geometry type code \(word)", at: typeOffset) }
        switch code / 1000 {
        case 0: break
        case 1: hasZ = true
        case 2: hasM = true
        case 3: hasZ = true; hasM = true
        default: throw error("unknown geometry type code \(word)", at: typeOffset)
        }
        code %= 1000
        guard code >= 1 && code <= 7 else { throw error("unknown geometry type code \(word)", at: typeOffset) }
        if (hasZ || hasM) && !options.dropZM {
            let what = hasZ && hasM ? "Z and M coordinates" : hasZ ? "Z (elevation) coordinates" : "M (measure) coordinates"
            throw error("the \(WKBTypeCode.name(code)) has \(what) (type code \(word)); TwinGeo is 2D: set options.dropZM = true to drop them",
                        at: typeOffset)
        }
        var srid: Int32?
        if hasSRID { srid = Int32(bitPattern: try readUInt32(littleEndian, what: "SRID")) }
        return (Header(littleEndian: littleEndian, base: code, ordinates: 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0), offset: offset), srid)
    }

    mutating func readPoint(_ header: Header) throws -> Point {
        let at = pos
        let ordinates = try readOrdinates(header)
        if ordinates.x.isNaN && ordinates.y.isNaN { return .empty }
        try checkFinite(ordinates.x, ordinates.y, at: at)
        return Point(ordinates.x, ordinates.y)
    }

    /// A count followed by that many positions.
    mutating func readCoordinates(_ header: Header) throws -> [Coordinate] {
        let count = try readCount(header, minimumBytesEach: 8 * header.ordinates, what: "positions")
        var cs: [Coordinate] = []
        cs.reserveCapacity(count)
        for _ in 0..<count {
            let at = pos
            let o = try readOrdinates(header)
            try checkFinite(o.x, o.y, at: at)
            cs.append(Coordinate(o.x, o.y))
        }
        return cs
    }

    mutating func readPolygonBody(_ header: Header) throws -> Polygon {
        let count = try readCount(header, minimumBytesEach: 4, what: "rings")
        var rings: [[Coordinate]] = []
        rings.reserveCapacity(count)
        for _ in 0..<count {
            let at = pos
            let ring = try readCoordinates(header)
            if let problem = IOGeometryRules.ringProblem(ring) { throw error(problem, at: at) }
            rings.append(ring)
        }
        guard let exterior = rings.first else { return .empty }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    /// Reads x, y and skips the Z/M ordinates (present only when `dropZM` allowed them).
    mutating func readOrdinates(_ header: Header) throws -> (x: Double, y: Double) {
        let x = try readDouble(header.littleEndian)
        let y = try readDouble(header.littleEndian)
        for _ in 2..<header.ordinates { _ = try readDouble(header.littleEndian) }
        return (x, y)
    }

    func checkFinite(_ x: Double, _ y: Double, at offset: Int) throws {
        guard x.isFinite && y.isFinite else {
            throw error("coordinate (\(x), \(y)) is not finite (only the empty point may be NaN NaN)", at: offset)
        }
    }

    /// A 32-bit count, checked against the bytes left (`minimumBytesEach` per item) before
    /// any allocation sized by it.
    mutating func readCount(_ header: Header, minimumBytesEach: Int, what: String) throws -> Int {
        let at = pos
        let count = Int(try readUInt32(header.littleEndian, what: "count of \(what)"))
        let remaining = buffer.count - pos
        if count > remaining / minimumBytesEach {
            throw error("count of \(count) \(what) needs at least \(count * minimumBytesEach) bytes but only \(remaining) remain", at: at)
        }
        return count
    }

    mutating func readUInt32(_ littleEndian: Bool, what: String) throws -> UInt32 {
        guard buffer.count - pos >= 4 else {
            throw error("truncated: expected 4 bytes of \(what), \(buffer.count - pos) remain", at: pos)
        }
        var v: UInt32 = 0
        for i in 0..<4 {
            let b = UInt32(buffer[pos + (littleEndian ? 3 - i : i)])
            v = v << 8 | b
        }
        pos += 4
        return v
    }

    mutating func readDouble(_ littleEndian: Bool) throws -> Double {
        guard buffer.count - pos >= 8 else {
            throw error("truncated: expected an 8-byte coordinate, \(buffer.count - pos) bytes remain", at: pos)
        }
        var v: UInt64 = 0
        for i in 0..<8 {
            let b = UInt64(buffer[pos + (littleEndian ? 7 - i : i)])
            v = v << 8 | b
        }
        pos += 8
        return Double(bitPattern: v)
    }

    func error(_ message: String, at offset: Int) -> FormatError {
        FormatError("WKB: \(message)", at: SourceLocation(byteOffset: offset))
    }
}
