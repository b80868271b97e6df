/// Reads the features of a GeoJSON document one at a time, in bounded memory.
///
/// The document may be a FeatureCollection, a bare Feature, or a bare Geometry (returned as
/// one feature with no id and no properties).
///
/// **Streaming.** The file is read in chunks (64 KiB by default) and `next()` parses one
/// element of the `features` array at a time, so a 500 MB collection needs memory in
/// proportion to its largest feature, not to the file.
///
/// **Two passes.** RFC 8259 objects are unordered, and real files put `crs` and `bbox`
/// after `features` as often as before. `init` therefore skims the whole document once:
/// it checks the JSON syntax of every byte (features are validated, not built), reads the
/// top-level members other than `features`, and remembers where the `features` array
/// starts; `next()` then seeks there. So `crs` and `bbox` are known before the first feature
/// is returned, and a syntax error anywhere in the file is reported before any feature is.
///
/// **CRS.** The 2008 `crs` member is honoured: a named CRS that `CRS(name:)` knows (e.g.
/// `urn:ogc:def:crs:EPSG::4549`, `urn:ogc:def:crs:OGC:1.3:CRS84`) becomes `crs`; an unknown,
/// linked or malformed one is an error, never ignored. No `crs` (or `"crs": null`) leaves
/// `crs == nil`, meaning RFC 7946's CRS84 (WGS84 lon/lat).
///
/// Errors are `FormatError`s whose location names the file, the feature index (0-based) and
/// the byte offset, plus the field path for structural problems
/// (`geometry.coordinates[0][3]`); `IOFileError` when the file cannot be read.
///
/// Not thread-safe: use one reader per thread.
public final class GeoJSONFeatureReader {
    /// What the top-level object of the document is.
    public enum DocumentType: Sendable, Hashable {
        case featureCollection
        case feature
        case geometry
    }

    /// The document's top-level type.
    public let documentType: DocumentType
    /// The CRS the document declares; `nil` means CRS84 (WGS84 lon/lat), RFC 7946's default.
    public let crs: CRS?
    /// The top-level `bbox` member, if any.
    public let bbox: BoundingBox?
    /// The path or name used in error messages.
    public let name: String?
    /// Features returned by `next()` so far.
    public private(set) var featuresRead = 0

    private var parser: JSONStrictParser
    private let decoder: GeoJSONGeometryDecoder
    private enum State {
        case collection(featuresOffset: Int, started: Bool)
        case single(GeoJSONFeature)
        case done
    }
    private var state: State

    /// Opens and skims the GeoJSON file at `path`.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - options: altitude handling and nesting limit.
    /// - Throws: `IOFileError` if the file cannot be read; `FormatError` for malformed JSON
    ///   anywhere in the file, a top-level structure that is not GeoJSON, or a bad `crs`/`bbox`.
    /// - Complexity: O(file size) time for the skim, O(chunk + top-level members) memory.
    public convenience init(path: String, options: GeoJSONReadOptions = GeoJSONReadOptions()) throws {
        try self.init(path: path, options: options, chunkSize: 64 * 1024)
    }

    /// As `init(path:options:)`, reading `chunkSize` bytes at a time (tests use small chunks).
    init(path: String, options: GeoJSONReadOptions, chunkSize: Int) throws {
        var parser = try JSONStrictParser(path: path, chunkSize: chunkSize, maxDepth: options.maxDepth)
        (documentType, crs, bbox, state) = try GeoJSONFeatureReader.skim(&parser, GeoJSONGeometryDecoder(options: options))
        self.parser = parser
        self.decoder = GeoJSONGeometryDecoder(options: options)
        self.name = path
    }

    /// Reads a GeoJSON document held in memory.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text of the document.
    ///   - name: the name to use in error locations.
    /// - Throws: as `init(path:options:)`.
    public init(bytes: [UInt8], name: String? = nil, options: GeoJSONReadOptions = GeoJSONReadOptions()) throws {
        var parser = JSONStrictParser(bytes: bytes, name: name, maxDepth: options.maxDepth)
        (documentType, crs, bbox, state) = try GeoJSONFeatureReader.skim(&parser, GeoJSONGeometryDecoder(options: options))
        self.parser = parser
        self.decoder = GeoJSONGeometryDecoder(options: options)
        self.name = name
    }

    /// The most bytes the reader has held in its read buffer and token scratch at once;
    /// stays near the chunk size however large the file is.
    var maxBufferedBytes: Int { parser.maxBufferedBytes }

    /// The next feature, or `nil` after the last one.
    ///
    /// - Throws: `FormatError` naming the file, feature index, byte offset and field when a
    ///   feature is not valid GeoJSON; the reader is finished after an error.
    /// - Complexity: O(size of the feature).
    public func next() throws -> GeoJSONFeature? {
        switch state {
        case .done:
            return nil
        case .single(let feature):
            state = .done
            featuresRead = 1
            return feature
        case .collection(let featuresOffset, let started):
            do {
                if !started {
                    try parser.seek(to: featuresOffset)
                    try parser.expect(UInt8(ascii: "["), "'['")
                    if try parser.skipWhitespace() == UInt8(ascii: "]") { state = .done; return nil }
                    state = .collection(featuresOffset: featuresOffset, started: true)
                } else if try !parser.arrayContinues() {
                    state = .done
                    return nil
                }
                let index = featuresRead
                _ = try parser.skipWhitespace()
                let start = parser.offset
                parser.featureIndex = index
                let parts = try GeoJSONFeatureParts.parse(&parser)
                let feature: GeoJSONFeature
                do { feature = try decoder.feature(parts) } catch let e as FormatError { throw locate(e, index, start) }
                featuresRead += 1
                return feature
            } catch {
                state = .done
                throw error
            }
        }
    }

    /// Every remaining feature (the whole collection in memory: prefer `next()` for big files).
    public func readAll() throws -> [GeoJSONFeature] {
        var all: [GeoJSONFeature] = []
        while let f = try next() { all.append(f) }
        return all
    }

    /// `error` with the file, feature and byte offset filled in where it did not have them.
    private func locate(_ error: FormatError, _ feature: Int?, _ offset: Int) -> FormatError {
        GeoJSONFeatureReader.locate(error, name: name, feature: feature, offset: offset)
    }

    private static func locate(_ error: FormatError, name: String?, feature: Int?, offset: Int) -> FormatError {
        var location = error.location ?? SourceLocation()
        if location.file == nil { location.file = name }
        if location.feature == nil { location.feature = feature }
        if location.byteOffset == nil { location.byteOffset = offset }
        return FormatError(error.message, at: location)
    }

    // MARK: First pass

    /// Reads the top-level members except `features` (whose syntax is checked and whose start
    /// is remembered) and decides what the document is.
    private static func skim(_ parser: inout JSONStrictParser, _ decoder: GeoJSONGeometryDecoder)
        throws -> (DocumentType, CRS?, BoundingBox?, State) {
        try parser.skipByteOrderMark()
        guard let first = try parser.skipWhitespace() else {
            throw parser.error("the document is empty: expected a GeoJSON object")
        }
        guard first == UInt8(ascii: "{") else {
            throw parser.error("a GeoJSON document must be an object, found \(parser.describe(first))")
        }
        let firstOffset = parser.offset
        parser.advance()
        var top = JSONObject()
        var memberOffsets: [String: Int] = [:]
        var featuresOffset: Int?
        // Geometry members of a bare Feature or Geometry document, read straight into parts
        // (as the streaming path does) rather than into `JSONValue`s.
        var coordinates: JSONNumericTree?
        var geometries: ([GeoJSONGeometryParts]?, String?)?
        var geometry: GeoJSONGeometryParts??
        if try parser.skipWhitespace() == UInt8(ascii: "}") {
            parser.advance()
        } else {
            repeat {
                let keyOffset = try parser.positionOfString()
                let key = try parser.parseString()
                if memberOffsets[key] != nil || (key == "features" && featuresOffset != nil) {
                    throw parser.error("duplicate key \"\(key)\"", at: keyOffset)
                }
                try parser.expect(UInt8(ascii: ":"), "':' after an object key")
                _ = try parser.skipWhitespace()
                memberOffsets[key] = parser.offset
                switch key {
                case "features" where try parser.skipWhitespace() == UInt8(ascii: "["):
                    featuresOffset = parser.offset
                    try skipFeatures(&parser)
                case "coordinates":
                    var tree = JSONNumericTree()
                    try parser.parseNumericTree(into: &tree)
                    coordinates = tree
                case "geometries":
                    geometries = try GeoJSONGeometryParts.parseGeometries(&parser)
                case "geometry":
                    geometry = .some(try GeoJSONGeometryParts.parseOptional(&parser))
                default:
                    top.appendUnchecked(key, try parser.parseValue())
                }
            } while try parser.objectContinues()
        }
        try parser.expectEnd()

        let name = parser.sourceName
        func fail(_ message: String, _ field: String?, _ key: String?) -> FormatError {
            FormatError("GeoJSON: \(message)",
                        at: SourceLocation(file: name, byteOffset: key.flatMap { memberOffsets[$0] } ?? 0, field: field))
        }
        func located<T>(_ key: String?, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as FormatError {
                throw locate(e, name: name, feature: nil, offset: key.flatMap { memberOffsets[$0] } ?? 0)
            }
        }
        guard let typeValue = top["type"] else { throw fail("the top-level object needs a \"type\" member", "type", nil) }
        guard let type = typeValue.stringValue else {
            throw fail("\"type\" must be a string, found \(typeValue.typeName)", "type", "type")
        }
        let crs = try located("crs") { try top["crs"].flatMap { try GeoJSONCRS.decode($0) } }
        let bbox = try located("bbox") { try decoder.bbox(top["bbox"], path: "bbox") }
        var body = top
        body["crs"] = nil // honoured above for the whole document
        switch type {
        case "FeatureCollection":
            guard let featuresOffset else {
                if let v = top["features"] { throw fail("\"features\" must be an array, found \(v.typeName)", "features", "features") }
                throw fail("a FeatureCollection needs a \"features\" array", "features", nil)
            }
            return (.featureCollection, crs, bbox, .collection(featuresOffset: featuresOffset, started: false))
        case "Feature":
            var parts = GeoJSONFeatureParts(object: body)
            if let geometry {
                parts.hasGeometry = true
                parts.geometry = geometry
            }
            let feature = try located(nil) { try decoder.feature(parts) }
            return (.feature, crs, bbox, .single(feature))
        case _ where GeoJSONGeometryDecoder.geometryTypes.contains(type):
            var parts = GeoJSONGeometryParts(value: .object(body))
            parts.offset = firstOffset
            parts.coordinates = coordinates
            if let geometries { (parts.geometries, parts.geometriesNotArray) = geometries }
            let geometry = try located(nil) { try decoder.geometry(parts, path: "", depth: 0) }
            return (.geometry, crs, bbox, .single(GeoJSONFeature(geometry: geometry, bbox: bbox)))
        default:
            throw fail("unknown GeoJSON type \"\(type)\"", "type", "type")
        }
    }

    /// Checks the syntax of the `features` array (at `[`) without building values, naming
    /// the feature index in any error.
    private static func skipFeatures(_ parser: inout JSONStrictParser) throws {
        parser.advance()
        defer { parser.featureIndex = nil }
        if try parser.skipWhitespace() == UInt8(ascii: "]") { parser.advance(); return }
        var index = 0
        repeat {
            parser.featureIndex = index
            try parser.skipValue()
            index += 1
        } while try parser.arrayContinues()
    }
}

extension Geometry {
    /// Parses one GeoJSON geometry object (RFC 7946 §3.1).
    ///
    /// - Parameters:
    ///   - geoJSON: the text of a geometry object such as `{"type":"Point","coordinates":[1,2]}`.
    ///   - options: altitude handling and nesting limit.
    /// - Throws: `FormatError` naming the byte offset or field; also when the object carries a
    ///   `crs` other than CRS84 (use `GeoJSONFeatureReader`, which returns it).
    public init(geoJSON: String, options: GeoJSONReadOptions = GeoJSONReadOptions()) throws {
        let reader = try GeoJSONFeatureReader(bytes: Array(geoJSON.utf8), options: options)
        guard reader.documentType == .geometry, let geometry = try reader.next()?.geometry else {
            throw FormatError("GeoJSON: expected a geometry object, found a \(reader.documentType)", at: SourceLocation(byteOffset: 0))
        }
        if let crs = reader.crs, crs != .wgs84 {
            throw FormatError("GeoJSON: the geometry declares crs \(crs); read it with GeoJSONFeatureReader to honour it",
                              at: SourceLocation(field: "crs"))
        }
        self = geometry
    }
}
