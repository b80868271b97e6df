import TwinGeo

/// One incoming event, as the dispatch desk sends it: `{id, lon, lat, crs?, category, time?, address?}`.
///
/// Members the server does not know (`source`, `description`, …) are accepted and ignored, so
/// upstream systems can send their whole record.
struct EventInput: Sendable {
    /// The caller's event id (a JSON string, or a number kept as its text).
    var id: String
    /// Longitude (or easting, for a projected ``crs``).
    var lon: Double
    /// Latitude (or northing).
    var lat: Double
    /// The CRS of `lon`/`lat`; WGS84 when the member is absent or null.
    var crs: CRS
    /// The event category (e.g. 积水); the dispatch rules map it to the responsible department.
    var category: String
    /// When the event happened, seconds since 1970 (UTC); `nil` = now, i.e. the latest grid.
    var time: Double?
    /// Free-text address, echoed back (geocoding by address is not part of this sample).
    var address: String?
}

/// A JSON value that is well-formed but is not a usable event: the answer names the member.
struct EventProblem: Error, Sendable, Equatable {
    /// The member at fault (`lat`, `crs`, …), or `nil` when the event as a whole is wrong.
    var field: String?
    /// What is wrong, in a sentence.
    var message: String
}

/// Text that is not JSON (RFC 8259): the answer names the byte offset and, when the parser
/// was inside a member, the member.
struct JSONSyntaxError: Error, Sendable, Equatable {
    /// Byte offset in the request body (0-based).
    var offset: Int
    /// The member whose value was being read, if any.
    var field: String?
    /// What is wrong.
    var message: String
}
