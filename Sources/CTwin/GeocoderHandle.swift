import TwinGeo

/// What a `twin_geocoder_t *` points at: the address book of a twin file in the immutable
/// in-memory indexes of an ``AddressGeocoder``.
///
/// Like ``TwinHandle``, the C handle is this object's retained opaque pointer:
/// `twin_geocoder_open` retains it once, `twin_geocoder_close` releases it once. The geocoder is
/// immutable and `Sendable`, so any number of threads may geocode on one handle at once.
final class GeocoderHandle: Sendable {
    let geocoder: AddressGeocoder

    init(_ geocoder: AddressGeocoder) { self.geocoder = geocoder }

    /// The object behind `g`; throws `.argument` for NULL.
    static func require(_ g: OpaquePointer?) throws -> GeocoderHandle {
        let g = try CArgument.require(g, "the geocoder handle")
        return Unmanaged<GeocoderHandle>.fromOpaque(UnsafeRawPointer(g)).takeUnretainedValue()
    }
}

/// The C match levels and reasons (`TWIN_MATCH_*`, `TWIN_REASON_*` in include/twin.h); the
/// values are ABI, never renumbered: new levels or reasons get new numbers at the end.
enum CMatchCode {
    /// `TWIN_MATCH_NONE` 0 … `TWIN_MATCH_TOWN` 7, finest first as in ``AddressMatchLevel``.
    static let levels: [AddressMatchLevel] = [.none, .doorplate, .lane, .poi, .community, .intersection, .road, .town]
    /// The names `twin_match_level_string` gives, index = C value.
    static let levelNames: [StaticString] = ["none", "doorplate", "lane", "poi", "community", "intersection", "road", "town"]

    /// `TWIN_REASON_NONE` 0 (no reason), then ``AddressMatchReason`` in declaration order.
    static let reasons: [AddressMatchReason?] = [nil, .empty, .onlyPunctuation, .tooLong, .invalidUTF8, .unrecognised,
                                                 .noSuchRoad, .noSuchLane, .noSuchNumber, .noSuchIntersection, .ambiguous]
    /// The names `twin_match_reason_string` gives, index = C value.
    static let reasonNames: [StaticString] = ["", "empty", "only_punctuation", "too_long", "invalid_utf8", "unrecognised",
                                              "no_such_road", "no_such_lane", "no_such_number", "no_such_intersection",
                                              "ambiguous"]

    static func level(_ level: AddressMatchLevel) -> Int32 {
        switch level {
        case .none: 0
        case .doorplate: 1
        case .lane: 2
        case .poi: 3
        case .community: 4
        case .intersection: 5
        case .road: 6
        case .town: 7
        }
    }

    static func reason(_ reason: AddressMatchReason?) -> Int32 {
        switch reason {
        case nil: 0
        case .empty: 1
        case .onlyPunctuation: 2
        case .tooLong: 3
        case .invalidUTF8: 4
        case .unrecognised: 5
        case .noSuchRoad: 6
        case .noSuchLane: 7
        case .noSuchNumber: 8
        case .noSuchIntersection: 9
        case .ambiguous: 10
        }
    }
}

/// `int twin_geocoder_open(const char *path, twin_geocoder_t **out)`: reads the address book of
/// a twin file into memory.
@c(twin_geocoder_open)
public func twinGeocoderOpen(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return callC(nil, "twin_geocoder_open") {
        let out = try CArgument.require(out, "out (the handle's address)")
        let path = String(cString: try CArgument.require(path, "path"))
        let handle = GeocoderHandle(try AddressGeocoder(twinPath: path))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
        return twinOK
    }
}

/// `void twin_geocoder_close(twin_geocoder_t *g)`: frees a geocoder handle; NULL is a no-op.
@c(twin_geocoder_close)
public func twinGeocoderClose(_ g: OpaquePointer?) {
    guard let g else { return }
    ThreadMessages.forget(g)
    Unmanaged<GeocoderHandle>.fromOpaque(UnsafeRawPointer(g)).release()
}

/// `const char *twin_geocoder_errmsg(const twin_geocoder_t *g)`: the calling thread's last message
/// from a call on `g` (NULL: from a call without a handle); "" when there is none.
@c(twin_geocoder_errmsg)
public func twinGeocoderErrmsg(_ g: OpaquePointer?) -> UnsafePointer<CChar> {
    ThreadMessages.message(for: g)
}

/// `const char *twin_match_level_string(int level)`: "doorplate", "lane" …; "unknown" otherwise.
@c(twin_match_level_string)
public func twinMatchLevelString(_ level: Int32) -> UnsafePointer<CChar> {
    guard level >= 0, Int(level) < CMatchCode.levelNames.count else { return staticCString("unknown") }
    return staticCString(CMatchCode.levelNames[Int(level)])
}

/// `const char *twin_match_reason_string(int reason)`: "no_such_number" …, "" for
/// `TWIN_REASON_NONE`, "unknown" for a number that is not a reason.
@c(twin_match_reason_string)
public func twinMatchReasonString(_ reason: Int32) -> UnsafePointer<CChar> {
    guard reason >= 0, Int(reason) < CMatchCode.reasonNames.count else { return staticCString("unknown") }
    return staticCString(CMatchCode.reasonNames[Int(reason)])
}
