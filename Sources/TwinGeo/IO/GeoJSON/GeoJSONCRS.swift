/// The GeoJSON 2008 `crs` member, still written by GDAL, QGIS and many government portals.
///
/// RFC 7946 removed it and fixed coordinates to CRS84, but a file that says
/// `"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4549"}}` is in
/// that CRS: ignoring the member would silently misplace every feature, so it is honoured
/// when TwinGeo knows the name and refused otherwise.
enum GeoJSONCRS {
    /// Decodes a `crs` member: `null` → `nil` (CRS84); a named CRS that `CRS(name:)` knows;
    /// the 2008 draft's `{"type": "EPSG", "properties": {"code": n}}`.
    ///
    /// - Throws: `FormatError` (field `crs…`) for linked, unknown or malformed CRS objects.
    static func decode(_ value: JSONValue) throws -> CRS? {
        func fail(_ message: String, _ field: String = "crs") -> FormatError {
            FormatError("GeoJSON: \(message)", at: SourceLocation(field: field))
        }
        if value == .null { return nil }
        guard case .object(let object) = value else {
            throw fail("\"crs\" must be an object or null, found \(value.typeName)")
        }
        guard let type = object["type"]?.stringValue else {
            throw fail("\"crs\" needs a string \"type\" (\"name\")", "crs.type")
        }
        guard case .object(let properties)? = object["properties"] else {
            throw fail("\"crs\" needs a \"properties\" object", "crs.properties")
        }
        switch type {
        case "name":
            guard let name = properties["name"]?.stringValue else {
                throw fail("a named \"crs\" needs a string \"properties.name\"", "crs.properties.name")
            }
            guard let crs = CRS(name: name) else {
                throw fail("unknown crs \"\(name)\" (known: CRS84, EPSG codes as urn:ogc:def:crs:EPSG::n, wgs84, cgcs2000, gcj02, bd09)",
                           "crs.properties.name")
            }
            return crs
        case "EPSG":
            guard let code = properties["code"], case .number(let n) = code, let epsg = n.intValue, epsg > 0, epsg < 1_000_000 else {
                throw fail("an EPSG \"crs\" needs a positive integer \"properties.code\"", "crs.properties.code")
            }
            return CRS(epsg: epsg)
        case "link":
            throw fail("a linked \"crs\" cannot be resolved offline; use a named crs (urn:ogc:def:crs:EPSG::n)", "crs.type")
        default:
            throw fail("unknown crs type \"\(type)\"", "crs.type")
        }
    }

    /// The `crs` member TwinGeo writes for `crs`; `nil` for WGS84 (RFC 7946's default needs none).
    static func encode(_ crs: CRS) -> JSONValue? {
        let name: String
        switch crs {
        case .wgs84: return nil
        case .cgcs2000: name = "urn:ogc:def:crs:EPSG::4490"
        case .epsg(let code): name = "urn:ogc:def:crs:EPSG::\(code)"
        case .gcj02, .bd09: name = crs.description // no URN exists; TwinGeo reads these names back
        }
        return .object(["type": .string("name"), "properties": .object(["name": .string(name)])])
    }
}
