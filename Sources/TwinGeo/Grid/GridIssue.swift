/// One problem found in a grid layer, with what a person needs to fix it.
public struct GridIssue: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of problem ``GridValidator`` finds.
    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// The cell has no area.
        case emptyGeometry
        /// The cell's geometry is not OGC-valid (self-intersection, …) or cannot be read by GEOS.
        case invalidGeometry
        /// Two cells of the layer overlap by more than the tolerance.
        case overlap
        /// A hole in the union of the layer's cells (an area no cell covers) above the tolerance.
        case gap
        /// Two or more cells share one code.
        case duplicateCode
        /// The code is not well formed for the layer's kind (``CellCode``).
        case codeFormat
        /// The cell extends outside the parent cell it mostly lies in.
        case crossesBoundary
        /// The cell lies in no cell of the parent layer.
        case outsideParent
        /// The code does not start with the code of the parent cell the cell lies in.
        case codePrefixMismatch
        /// The cell's declared parent code differs from the parent cell it lies in.
        case parentCodeMismatch

        public var description: String {
            switch self {
            case .emptyGeometry: "empty geometry"
            case .invalidGeometry: "invalid geometry"
            case .overlap: "overlap"
            case .gap: "gap"
            case .duplicateCode: "duplicate code"
            case .codeFormat: "code format"
            case .crossesBoundary: "crosses boundary"
            case .outsideParent: "outside parent"
            case .codePrefixMismatch: "code prefix mismatch"
            case .parentCodeMismatch: "parent code mismatch"
            }
        }
    }

    /// How serious the issue is.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        /// The layer is not a usable partition until this is fixed.
        case error
        /// Suspicious, but the layer can be used.
        case warning
    }

    /// What kind of problem this is.
    public var kind: Kind
    /// How serious it is.
    public var severity: Severity
    /// The layer's name.
    public var layer: String
    /// The codes of the cells involved (for a hierarchy issue: the cell, then the parent cell(s)).
    public var cells: [String]
    /// The area concerned in m² (overlap, gap, area outside the parent, make-valid area), if any.
    public var areaM2: Double?
    /// A representative position (lon, lat WGS84) to look at, if any.
    public var location: Coordinate?
    /// What is wrong, as a sentence.
    public var message: String
    /// What to do about it, as a sentence, if there is a clear remedy.
    public var suggestion: String?

    public init(kind: Kind, severity: Severity = .error, layer: String, cells: [String], areaM2: Double? = nil,
                location: Coordinate? = nil, message: String, suggestion: String? = nil) {
        self.kind = kind; self.severity = severity; self.layer = layer; self.cells = cells
        self.areaM2 = areaM2; self.location = location; self.message = message; self.suggestion = suggestion
    }

    /// One line a person can act on:
    /// `error [警务] overlap: cells A and B overlap by 12.5 m² near 121.4012345, 31.2301234. Fix: …`
    public var description: String {
        var line = "\(severity.rawValue) [\(layer)] \(kind): \(message)"
        if let location { line += " near \(gridFormat(location))" }
        line += "."
        if let suggestion { line += " Fix: \(suggestion)" }
        return line
    }

    /// The issue as a JSON object: `kind`, `severity`, `layer`, `cells`, `areaM2` (or null),
    /// `location` (`[lon, lat]` or null), `message`, `suggestion` (or null).
    public var json: JSONValue {
        var object = JSONObject()
        object["kind"] = .string(kind.rawValue)
        object["severity"] = .string(severity.rawValue)
        object["layer"] = .string(layer)
        object["cells"] = .array(cells.map(JSONValue.string))
        object["areaM2"] = areaM2.flatMap(JSONNumber.init).map(JSONValue.number) ?? .null
        if let location, let x = JSONNumber(location.x), let y = JSONNumber(location.y) {
            object["location"] = .array([.number(x), .number(y)])
        } else {
            object["location"] = .null
        }
        object["message"] = .string(message)
        object["suggestion"] = suggestion.map(JSONValue.string) ?? .null
        return .object(object)
    }
}

/// What ``GridValidator/validate(_:parent:options:)`` found in one layer.
public struct ValidationReport: Hashable, Sendable, CustomStringConvertible {
    /// The validated layer's name.
    public var layer: String
    /// The parent layer's name, when the hierarchy was checked.
    public var parentLayer: String?
    /// The number of cells checked.
    public var cellCount: Int
    /// The issues, grouped by kind in the order of ``GridIssue/Kind/allCases``, then by cell order.
    public var issues: [GridIssue]

    public init(layer: String, parentLayer: String? = nil, cellCount: Int, issues: [GridIssue]) {
        self.layer = layer; self.parentLayer = parentLayer; self.cellCount = cellCount; self.issues = issues
    }

    /// No issue of any severity.
    public var isClean: Bool { issues.isEmpty }

    /// Whether some issue is an error (the layer is not a usable partition as it is).
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// The number of issues of each kind found (kinds with none are absent).
    public var counts: [GridIssue.Kind: Int] {
        issues.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    /// The number of issues of `kind`.
    public func count(_ kind: GridIssue.Kind) -> Int { issues.lazy.filter { $0.kind == kind }.count }

    /// A summary line, then one line per issue.
    public var description: String {
        let parent = parentLayer.map { " within \($0)" } ?? ""
        var lines: [String]
        if issues.isEmpty {
            lines = ["Layer \(layer)\(parent): \(cellCount) cells, no issues."]
        } else {
            let summary = GridIssue.Kind.allCases.compactMap { kind -> String? in
                let n = count(kind)
                return n == 0 ? nil : "\(n) \(kind)"
            }.joined(separator: ", ")
            lines = ["Layer \(layer)\(parent): \(cellCount) cells, \(issues.count) issues (\(summary))."]
        }
        lines += issues.map(\.description)
        return lines.joined(separator: "\n")
    }

    /// The report as JSON: `{"layer", "parentLayer", "cellCount", "clean", "counts": {kind: n}, "issues": [...]}`.
    public var json: JSONValue {
        var object = JSONObject()
        object["layer"] = .string(layer)
        object["parentLayer"] = parentLayer.map(JSONValue.string) ?? .null
        object["cellCount"] = .number(JSONNumber(cellCount))
        object["clean"] = .bool(isClean)
        var counts = JSONObject()
        for kind in GridIssue.Kind.allCases { counts[kind.rawValue] = .number(JSONNumber(count(kind))) }
        object["counts"] = .object(counts)
        object["issues"] = .array(issues.map(\.json))
        return .object(object)
    }

    /// ``json`` as compact RFC 8259 text.
    public var jsonText: String { json.jsonText }
}
