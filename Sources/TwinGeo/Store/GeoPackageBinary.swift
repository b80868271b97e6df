/// The GeoPackage binary geometry encoding (`GeoPackageBinary`, GeoPackage 1.3 §2.1.3): a header
/// followed by standard WKB.
///
/// ```
/// offset 0  'G' 'P'        magic (0x47 0x50)
/// offset 2  version        0 = version 1
/// offset 3  flags          bits 7-6 reserved (0); bit 5 extended type (0 = standard);
///                          bit 4 empty geometry; bits 3-1 envelope contents indicator;
///                          bit 0 byte order of srs_id and envelope (1 = little-endian)
/// offset 4  srs_id         int32
/// offset 8  envelope       0, 32, 48, 48 or 64 bytes of doubles (indicator 0, 1, 2, 3, 4):
///                          [minx, maxx, miny, maxy] (+ [minz, maxz]) (+ [minm, maxm])
/// then      WKB geometry
/// ```
///
/// TwinGeo writes a little-endian header, the `[minx, maxx, miny, maxy]` envelope (indicator 1)
/// for every non-empty geometry, and for an empty geometry the empty flag with no envelope;
/// the WKB is 2D little-endian ISO WKB (``WKBWriter``). It reads any standard header
/// (either byte order, any valid envelope indicator); extended (bit 5) geometries are refused.
public enum GeoPackageBinary {
    /// The two magic bytes, `GP`.
    public static let magic: (UInt8, UInt8) = (0x47, 0x50)

    /// The fields of a GeoPackage binary header.
    public struct Header: Hashable, Sendable {
        /// The `srs_id` of the geometry (a `gpkg_spatial_ref_sys` key).
        public var srsID: Int32
        /// The empty-geometry flag (bit 4).
        public var isEmpty: Bool
        /// The envelope contents indicator: 0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm.
        public var envelopeIndicator: Int
        /// The x/y part of the envelope, when the header has one.
        public var envelope: BoundingBox?
        /// The size of the header in bytes: where the WKB starts.
        public var byteCount: Int
    }

    /// A decoded value: the header and the geometry.
    public struct Value: Hashable, Sendable {
        /// The header fields.
        public var header: Header
        /// The geometry read from the WKB after the header.
        public var geometry: Geometry
    }

    /// The number of envelope doubles for indicator `code` (0...4), or `nil` for 5...7.
    static func envelopeDoubles(_ code: Int) -> Int? {
        switch code {
        case 0: 0
        case 1: 4
        case 2, 3: 6
        case 4: 8
        default: nil
        }
    }

    /// Encodes `geometry` as a GeoPackage binary blob with `srsID` in its header.
    ///
    /// - Throws: `GeometryError` for a geometry WKB cannot hold (a non-finite coordinate, an
    ///   unclosed ring, a one-position line string).
    /// - Complexity: O(n) in the number of positions.
    public static func encode(_ geometry: Geometry, srsID: Int32) throws -> [UInt8] {
        let wkb = try WKBWriter(byteOrder: .littleEndian).write(geometry)
        let box = geometry.boundingBox
        var out: [UInt8] = []
        out.reserveCapacity(8 + (box == nil ? 0 : 32) + wkb.count)
        out.append(magic.0)
        out.append(magic.1)
        out.append(0)  // version 1 of the format
        // bit 0: little-endian header; bits 3-1: indicator 1 ([minx, maxx, miny, maxy]) or 0;
        // bit 4: empty. A geometry with no position (`boundingBox == nil`) is empty.
        let flags: UInt8 = box == nil ? 0b0001_0001 : 0b0000_0011
        out.append(flags)
        appendLittleEndian(UInt32(bitPattern: srsID), to: &out)
        if let box {
            for v in [box.minX, box.maxX, box.minY, box.maxY] {
                appendLittleEndian(v.bitPattern, to: &out)
            }
        }
        out.append(contentsOf: wkb)
        return out
    }

    /// Reads and checks the header of a GeoPackage binary blob, without reading the WKB.
    ///
    /// Checks the magic, the version (0), the reserved flag bits, the extended-type bit (refused),
    /// the envelope indicator (0–4) and that the bytes hold the whole header and envelope.
    ///
    /// - Throws: `FormatError` whose location has the `byteOffset` of the problem.
    public static func readHeader(_ bytes: UnsafeRawBufferPointer) throws -> Header {
        func fail(_ message: String, _ offset: Int) -> FormatError {
            FormatError("GeoPackage geometry: \(message)", at: SourceLocation(byteOffset: offset))
        }
        guard bytes.count >= 8 else {
            if bytes.count >= 2 && (bytes[0] != magic.0 || bytes[1] != magic.1) {
                throw fail("bad magic \(hex(bytes[0])) \(hex(bytes[1])) (expected 0x47 0x50, \"GP\"); not a GeoPackage geometry blob", 0)
            }
            throw fail("truncated: \(bytes.count) bytes, a header needs at least 8", bytes.count)
        }
        guard bytes[0] == magic.0 && bytes[1] == magic.1 else {
            throw fail("bad magic \(hex(bytes[0])) \(hex(bytes[1])) (expected 0x47 0x50, \"GP\"); not a GeoPackage geometry blob", 0)
        }
        guard bytes[2] == 0 else {
            throw fail("unsupported version byte \(bytes[2]) (expected 0, version 1)", 2)
        }
        let flags = bytes[3]
        guard flags & 0b1100_0000 == 0 else {
            throw fail("reserved flag bits 6-7 are set (flags \(hex(flags)))", 3)
        }
        guard flags & 0b0010_0000 == 0 else {
            throw fail("extended GeoPackage geometry (flag bit 5) is not supported", 3)
        }
        let indicator = Int((flags >> 1) & 0b111)
        guard let doubles = envelopeDoubles(indicator) else {
            throw fail("invalid envelope contents indicator \(indicator) (flags \(hex(flags)); valid: 0-4)", 3)
        }
        let littleEndian = flags & 1 == 1
        let byteCount = 8 + 8 * doubles
        guard bytes.count >= byteCount else {
            throw fail("truncated: envelope indicator \(indicator) needs a \(byteCount)-byte header, the blob has \(bytes.count) bytes",
                       bytes.count)
        }
        let srsID = Int32(bitPattern: readUInt32(bytes, at: 4, littleEndian: littleEndian))
        var envelope: BoundingBox?
        if doubles > 0 {
            let minX = Double(bitPattern: readUInt64(bytes, at: 8, littleEndian: littleEndian))
            let maxX = Double(bitPattern: readUInt64(bytes, at: 16, littleEndian: littleEndian))
            let minY = Double(bitPattern: readUInt64(bytes, at: 24, littleEndian: littleEndian))
            let maxY = Double(bitPattern: readUInt64(bytes, at: 32, littleEndian: littleEndian))
            envelope = BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        }
        return Header(srsID: srsID, isEmpty: flags & 0b0001_0000 != 0, envelopeIndicator: indicator,
                      envelope: envelope, byteCount: byteCount)
    }

    /// Decodes a GeoPackage binary blob: the header, then the WKB that must fill the rest.
    ///
    /// Besides ``readHeader(_:)``'s checks, a geometry with positions flagged empty is refused
    /// (spatial indexes trust the flag), and so is an envelope that does not hold the geometry.
    ///
    /// - Parameter options: WKB options (`dropZM` to accept and drop Z/M ordinates).
    /// - Throws: `FormatError` whose location has the `byteOffset` of the problem in the blob
    ///   (WKB offsets are counted from the start of the blob, not of the WKB).
    /// - Complexity: O(n) in the number of bytes.
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: WKBReader.Options = WKBReader.Options()) throws -> Value {
        let header = try readHeader(bytes)
        let geometry: Geometry
        do {
            geometry = try WKBReader(options: options).read(UnsafeRawBufferPointer(rebasing: bytes[header.byteCount...]))
        } catch var error as FormatError {
            var location = error.location ?? SourceLocation()
            location.byteOffset = (location.byteOffset ?? 0) + header.byteCount
            error.location = location
            throw error
        }
        let box = geometry.boundingBox
        if header.isEmpty && box != nil {
            throw FormatError("GeoPackage geometry: the header's empty flag is set but the \(geometry.typeName) has positions",
                              at: SourceLocation(byteOffset: 3))
        }
        if let box, let envelope = header.envelope,
           !(envelope.minX <= box.minX && envelope.maxX >= box.maxX && envelope.minY <= box.minY && envelope.maxY >= box.maxY) {
            throw FormatError("GeoPackage geometry: the header envelope [\(envelope.minX), \(envelope.maxX), \(envelope.minY), \(envelope.maxY)] "
                              + "does not contain the geometry's [\(box.minX), \(box.maxX), \(box.minY), \(box.maxY)]",
                              at: SourceLocation(byteOffset: 8))
        }
        return Value(header: header, geometry: geometry)
    }

    /// Decodes a GeoPackage binary blob held in any byte collection; see ``decode(_:options:)``.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, options: WKBReader.Options = WKBReader.Options()) throws -> Value {
        if let value = try bytes.withContiguousStorageIfAvailable({ try decode(UnsafeRawBufferPointer($0), options: options) }) {
            return value
        }
        return try Array(bytes).withUnsafeBytes { try decode($0, options: options) }
    }

    /// The x/y extent of a blob for the spatial index functions: the header envelope when it
    /// has one, else the decoded geometry's box; `nil` for an empty geometry.
    ///
    /// Trusting the envelope keeps `ST_MinX` & co. O(1) in the index triggers, as the spec
    /// intends; ``decode(_:options:)`` checks on read that the envelope holds the geometry.
    static func extent(_ bytes: UnsafeRawBufferPointer) throws -> BoundingBox? {
        let header = try readHeader(bytes)
        if header.isEmpty { return nil }
        if let envelope = header.envelope, !envelope.isEmpty { return envelope }
        return try decode(bytes, options: WKBReader.Options(dropZM: true)).geometry.boundingBox
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func readUInt32(_ b: UnsafeRawBufferPointer, at offset: Int, littleEndian: Bool) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(b[offset + (littleEndian ? 3 - i : i)]) }
        return v
    }

    private static func readUInt64(_ b: UnsafeRawBufferPointer, at offset: Int, littleEndian: Bool) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(b[offset + (littleEndian ? 7 - i : i)]) }
        return v
    }
}
