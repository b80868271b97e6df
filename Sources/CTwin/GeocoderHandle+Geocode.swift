#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import TwinGeo

/// `int twin_geocode_address(const twin_geocoder_t *g, const char *utf8, size_t len, double *lon,
/// double *lat, int *level, double *score, int *reason, char *matched, size_t n, size_t *needed)`:
/// geocodes one address.
///
/// An address without a match is an answer (`TWIN_OK`, level `TWIN_MATCH_NONE`, NaN position,
/// the reason), not an error: only a NULL handle or a NULL output the call needs fails. The text
/// is read in place as UTF-8 bytes (invalid UTF-8 is no match with `TWIN_REASON_INVALID_UTF8`,
/// never repaired), so this is ``AddressGeocoder/geocode(utf8:)`` exactly.
@c(twin_geocode_address)
public func twinGeocodeAddress(_ g: OpaquePointer?, _ utf8: UnsafePointer<CChar>?, _ len: UInt,
                               _ lon: UnsafeMutablePointer<Double>?, _ lat: UnsafeMutablePointer<Double>?,
                               _ level: UnsafeMutablePointer<Int32>?, _ score: UnsafeMutablePointer<Double>?,
                               _ reason: UnsafeMutablePointer<Int32>?, _ matched: UnsafeMutablePointer<CChar>?, _ n: UInt,
                               _ needed: UnsafeMutablePointer<UInt>?) -> Int32 {
    callC(g, "twin_geocode_address") {
        let handle = try GeocoderHandle.require(g)
        let lon = try CArgument.require(lon, "lon"), lat = try CArgument.require(lat, "lat")
        let level = try CArgument.require(level, "level")
        guard matched != nil || n == 0 else { throw TwinQueryError(.argument, "matched is NULL but n is \(n)") }
        let length = try CArgument.count(len, "len")
        if utf8 == nil && length > 0 { throw TwinQueryError(.argument, "utf8 is NULL but len is \(len)") }
        let match = CGeocode.geocode(handle.geocoder, utf8, length)
        lon.pointee = match.lon
        lat.pointee = match.lat
        level.pointee = CMatchCode.level(match.level)
        score?.pointee = match.score
        reason?.pointee = CMatchCode.reason(match.reason)
        // The canonical address: not wanted when matched is NULL (n 0), so a caller that needs
        // only the position does not geocode twice to size a buffer; *needed is written anyway.
        if matched == nil {
            needed?.pointee = UInt(match.canonical.utf8.count + 1)
            return twinOK
        }
        return try CBuffer.write(match.canonical, to: matched, size: n, needed: needed, what: "the matched address")
    }
}

/// `int twin_geocode_batch(const twin_geocoder_t *g, const char *const *texts, size_t n, double *lon,
/// double *lat, int32_t *level, double *score, int32_t *reason)`: geocodes n NUL-terminated
/// addresses on every core; result i equals `twin_geocode_address` of `texts[i]`.
@c(twin_geocode_batch)
public func twinGeocodeBatch(_ g: OpaquePointer?, _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ n: UInt,
                             _ lon: UnsafeMutablePointer<Double>?, _ lat: UnsafeMutablePointer<Double>?,
                             _ level: UnsafeMutablePointer<Int32>?, _ score: UnsafeMutablePointer<Double>?,
                             _ reason: UnsafeMutablePointer<Int32>?) -> Int32 {
    callC(g, "twin_geocode_batch") {
        let handle = try GeocoderHandle.require(g)
        let count = try CArgument.count(n, "n")
        guard count > 0 else { return twinOK }
        let texts = try CArgument.require(texts, "texts")
        let output = CGeocode.Output(lon: try CArgument.require(lon, "lon"), lat: try CArgument.require(lat, "lat"),
                                     level: try CArgument.require(level, "level"), score: score, reason: reason)
        let geocoder = handle.geocoder
        // Work items fill disjoint index ranges of the caller's arrays; the geocoder is immutable.
        nonisolated(unsafe) let input = texts
        let chunk = AddressGeocoder.batchChunk
        let chunks = (count + chunk - 1) / chunk
        let work: @Sendable (Int) -> Void = { k in
            for i in k * chunk ..< min((k + 1) * chunk, count) {
                output.write(i, CGeocode.geocode(geocoder, input[i], 0))
            }
        }
        if chunks > 1 {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: work)
        } else {
            work(0)
        }
        return twinOK
    }
}

/// The geocoding shared by the single and batch entry points.
enum CGeocode {
    /// Geocodes `len` bytes at `utf8` (`len` 0: up to the NUL; NULL: an empty text).
    static func geocode(_ geocoder: AddressGeocoder, _ utf8: UnsafePointer<CChar>?, _ length: Int) -> AddressMatch {
        guard let utf8 else { return .none(.empty) }
        let count = length == 0 ? strlen(utf8) : length
        // Read in place: no copy, no repair of invalid sequences.
        let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(utf8), count: count)
        return geocoder.geocode(utf8: bytes)
    }

    /// The caller's result arrays of a batch (score and reason optional).
    struct Output: @unchecked Sendable {
        // @unchecked: each work item writes only its own indexes, so no two threads touch one slot.
        let lon: UnsafeMutablePointer<Double>
        let lat: UnsafeMutablePointer<Double>
        let level: UnsafeMutablePointer<Int32>
        let score: UnsafeMutablePointer<Double>?
        let reason: UnsafeMutablePointer<Int32>?

        func write(_ i: Int, _ match: AddressMatch) {
            lon[i] = match.lon
            lat[i] = match.lat
            level[i] = CMatchCode.level(match.level)
            score?[i] = match.score
            reason?[i] = CMatchCode.reason(match.reason)
        }
    }
}
