extension GridLayer {
    /// Reads a grid layer from a GeoJSON FeatureCollection, one feature per cell, streaming.
    ///
    /// Every feature must have a Polygon or MultiPolygon geometry and a code property. Codes are
    /// strings; a JSON integer (`12`, also `12.0`) is taken as its digits (`"12"`), a fractional
    /// number, an exponent, a negative number or any other type is refused. Long integer codes keep
    /// every digit (the reader keeps number text). The name property, when asked for and present,
    /// may be a string or a number; the other properties are kept as ``GridCell/attributes`` text.
    ///
    /// Coordinates are converted to WGS84 lon/lat. The source CRS is `crs` when given, else the
    /// file's `crs` member, else CRS84 (RFC 7946). Both given and different is an error: one of the
    /// two is wrong, and guessing which would misplace every cell.
    ///
    /// - Parameters:
    ///   - path: the GeoJSON file.
    ///   - name: the layer name, e.g. `"警务"`.
    ///   - kind: what the layer partitions the district into.
    ///   - codeField: the property holding the cell code.
    ///   - nameField: the property holding the cell name, if any.
    ///   - parentCodeField: the property holding the parent cell's code, if any.
    ///   - crs: the CRS of the file's coordinates, when the file does not say or to confirm it.
    /// - Returns: the layer, cells in file order.
    /// - Throws: `IOFileError` when the file cannot be read; `FormatError` naming the file, the
    ///   feature index (0-based) and the field for a document that is not a FeatureCollection, a
    ///   feature without a polygonal geometry, a missing or ill-typed code; `CRSError` naming the
    ///   file for an unknown CRS, a contradiction between `crs` and the file, or a failed transform.
    /// - Complexity: O(file size); memory in proportion to the cells, not the file text.
    public static func importGeoJSON(path: String, name: String, kind: GridLayerKind, codeField: String,
                                     nameField: String? = nil, parentCodeField: String? = nil,
                                     crs: CRS? = nil) throws -> GridLayer {
        let reader = try GeoJSONFeatureReader(path: path)
        let fileLocation = SourceLocation(file: path)
        guard reader.documentType == .featureCollection else {
            let found = reader.documentType == .feature ? "a single Feature" : "a bare Geometry"
            throw FormatError("a grid layer file must be a GeoJSON FeatureCollection with one feature per cell, found \(found)",
                              at: fileLocation)
        }
        if let crs, let declared = reader.crs, declared != crs {
            throw CRSError("the file declares crs \(declared) but \(crs) was given; remove one of them or make them agree",
                           at: SourceLocation(file: path, field: "crs"))
        }
        let source = crs ?? reader.crs ?? .wgs84
        let transform: CoordinateTransform
        do { transform = try CoordinateTransform(from: source, to: .wgs84) } catch let e as CRSError {
            throw CRSError(e.message, at: (e.location ?? SourceLocation()).inFile(path))
        }

        var cells: [GridCell] = []
        var index = 0
        while let feature = try reader.next() {
            defer { index += 1 }
            func fail(_ message: String, field: String?) -> FormatError {
                FormatError(message, at: SourceLocation(file: path, feature: index, field: field))
            }
            let polygons: MultiPolygon
            switch feature.geometry {
            case .polygon(let p)?: polygons = MultiPolygon([p])
            case .multiPolygon(let m)?: polygons = m
            case nil: throw fail("the feature has no geometry; a grid cell needs a Polygon or MultiPolygon", field: "geometry")
            case let other?:
                throw fail("the geometry is a \(other.typeName); a grid cell needs a Polygon or MultiPolygon", field: "geometry")
            }
            guard !polygons.isEmpty else { throw fail("the geometry is empty; a grid cell needs an area", field: "geometry") }
            guard let codeValue = feature.properties[codeField] else {
                throw fail("the code property \"\(codeField)\" is missing", field: codeField)
            }
            let code = try codeText(codeValue, field: codeField, fail: fail)
            var cellName: String?
            if let nameField, let value = feature.properties[nameField] {
                switch value {
                case .null: cellName = nil
                case .string(let s): cellName = s
                case .number(let n): cellName = n.text
                default: throw fail("the name property \"\(nameField)\" must be a string, found \(value.typeName)", field: nameField)
                }
            }
            var parentCode: String?
            if let parentCodeField, let value = feature.properties[parentCodeField], value != .null {
                parentCode = try codeText(value, field: parentCodeField, fail: fail)
            }
            var attributes: [String: String] = [:]
            for (key, value) in feature.properties where key != codeField && key != nameField && key != parentCodeField {
                switch value {
                case .null: continue
                case .string(let s): attributes[key] = s
                case .number(let n): attributes[key] = n.text
                case .bool(let b): attributes[key] = b ? "true" : "false"
                case .array, .object: attributes[key] = value.jsonText
                }
            }
            var geometry = polygons
            if !transform.isIdentity {
                do {
                    guard case .multiPolygon(let m) = try transform.transform(.multiPolygon(polygons)) else {
                        throw fail("the transformed geometry is not a multipolygon", field: "geometry")
                    }
                    geometry = m
                } catch let e as CRSError {
                    throw CRSError(e.message, at: SourceLocation(file: path, feature: index, field: "geometry"))
                }
            }
            cells.append(GridCell(code: code, name: cellName, geometry: geometry, parentCode: parentCode, attributes: attributes))
        }
        return GridLayer(name: name, kind: kind, cells: cells)
    }

    /// A code property as text: a non-empty string as it is, a non-negative JSON integer as its
    /// digits (`12` and `12.0` → `"12"`); anything else is refused.
    static func codeText(_ value: JSONValue, field: String,
                         fail: (String, String?) -> FormatError) throws -> String {
        switch value {
        case .string(let s):
            guard !s.isEmpty else { throw fail("the code property \"\(field)\" is an empty string", field) }
            return s
        case .number(let n):
            // Work on the number's text: a Double would round codes longer than 15–16 digits.
            let text = n.text
            let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let integer = parts[0]
            let isInteger = !integer.isEmpty && integer.allSatisfy { $0 >= "0" && $0 <= "9" }
                && (parts.count == 1 || parts[1].allSatisfy { $0 == "0" })
            guard isInteger else {
                throw fail("the code property \"\(field)\" is the number \(text), which is not a whole non-negative number; write codes as strings", field)
            }
            return String(integer)
        default:
            throw fail("the code property \"\(field)\" must be a string (or a whole number), found \(value.typeName)", field)
        }
    }
}
