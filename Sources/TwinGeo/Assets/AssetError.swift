// Errors of the asset catalog: bad asset records (with the row or feature that holds them) and
// queries or updates that name an asset the catalog does not have.

/// A problem with an asset: a record that breaks a rule (bad heading, duplicate id, bad code, …),
/// an unknown id in an update, or a query argument out of its domain.
///
/// `location` names the file, CSV line or GeoJSON feature (0-based) and the field when the asset
/// came from a file.
public struct AssetError: TwinError, Hashable {
    /// What kind of problem it is (also the C status code).
    public var code: TwinErrorCode
    /// The sentence saying what is wrong.
    public var message: String
    /// Where, when the asset came from a file.
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ code: TwinErrorCode = .format, _ message: String, at location: SourceLocation? = nil) {
        self.code = code; self.message = message; self.location = location
    }

    /// This error with `location` filled in where it was unknown (file, line, feature; the
    /// field is kept when already set).
    func placed(_ place: SourceLocation) -> AssetError {
        var copy = self
        var merged = place
        if let field = location?.field { merged.field = field }
        copy.location = merged
        return copy
    }
}

/// One record an import left out, and why.
public struct AssetReject: Hashable, Sendable, CustomStringConvertible {
    /// The file, and the CSV line (1-based, the header is line 1) or GeoJSON feature (0-based).
    public var location: SourceLocation
    /// The asset id when it could be read.
    public var id: String?
    /// Why the record was left out.
    public var reason: String

    /// Creates a reject.
    public init(location: SourceLocation, id: String?, reason: String) {
        self.location = location; self.id = id; self.reason = reason
    }

    /// `file:line: reason` or `file, feature n: reason`.
    public var description: String {
        let place = location.description
        return place.isEmpty ? reason : "\(place): \(reason)"
    }
}
