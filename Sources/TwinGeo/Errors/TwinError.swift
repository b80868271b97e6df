/// The category of a TwinGeo failure. The raw values are the C ABI's `TWIN_ERR_*` status codes
/// (include/twin.h) and are never renumbered; new codes may be added.
public enum TwinErrorCode: Int32, Sendable, CaseIterable {
    /// A file could not be read, written or created.
    case io = 1
    /// Input text or bytes are malformed (WKT, WKB, GeoJSON, CSV, twin file).
    case format = 2
    /// An argument is out of its domain (a NULL, a negative count, an unknown option).
    case argument = 3
    /// A named thing (layer, cell, code, CRS) does not exist.
    case notFound = 4
    /// A caller-provided buffer is too small.
    case buffer = 5
    /// A geometry is invalid for the operation, or GEOS reported an error.
    case geometry = 6
    /// A coordinate reference system is unknown, or a transform failed.
    case crs = 7
    /// A bug in TwinGeo: please report it.
    case `internal` = 99
}

/// Where in the input a problem was found. Every part is optional; `description` names
/// the parts that are known, e.g. `events.csv:12: field "lon"` or `cells.geojson: feature 3, byte 1042`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?
    public var feature: Int?
    public var field: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil,
                byteOffset: Int? = nil, feature: Int? = nil, field: String? = nil) {
        self.file = file; self.line = line; self.column = column
        self.byteOffset = byteOffset; self.feature = feature; self.field = field
    }

    public var description: String {
        var head = file ?? ""
        if let line { head += head.isEmpty ? "line \(line)" : ":\(line)" }
        if let column { head += line == nil ? " column \(column)" : ":\(column)" }
        var parts: [String] = head.isEmpty ? [] : [head]
        if let feature { parts.append("feature \(feature)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        if let field { parts.append("field \"\(field)\"") }
        return parts.joined(separator: ", ")
    }

    /// This location with `file` set where it was not known yet.
    public func inFile(_ name: String) -> SourceLocation {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }
}

/// What every TwinGeo error offers: a status code, a sentence, and a place.
public protocol TwinError: Error, CustomStringConvertible, Sendable {
    var code: TwinErrorCode { get }
    var message: String { get }
    var location: SourceLocation? { get }
}

extension TwinError {
    public var description: String {
        guard let location, !location.description.isEmpty else { return message }
        return "\(location): \(message)"
    }
}

/// Malformed input: WKT, WKB, GeoJSON, CSV, a twin file.
public struct FormatError: TwinError, Equatable {
    public var code: TwinErrorCode { .format }
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }
}

/// A geometry that an operation cannot take, or a GEOS failure.
public struct GeometryError: TwinError, Equatable {
    public var code: TwinErrorCode { .geometry }
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }
}

/// An unknown coordinate reference system, or a failed transform (PROJ's message included).
public struct CRSError: TwinError, Equatable {
    public var code: TwinErrorCode { .crs }
    public var message: String
    public var location: SourceLocation?
    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message; self.location = location
    }
}
