/// Positions from coordinates where a row has them, else from its written address
/// (``GeocodeOptions/addressColumn``), through an ``AddressGeocoder``.
///
/// The rule, per row (after the structural checks):
/// 1. **Coordinates win when present and valid.** A row whose lon or lat field is not blank is
///    read exactly as ``CoordinateColumns`` reads it (strict numbers, range, CRS column). Its
///    address, if any, is not consulted: a surveyed or GPS position is finer than any address.
/// 2. A row whose lon and lat fields are both blank (ASCII spaces or tabs only), or a file
///    without lon/lat columns at all, is placed by its address. So is a row whose coordinates
///    are present but refused (`invalid_number`, `out_of_range`, `unknown_crs` …) when it has
///    an address: the written address is the better of two answers then. Its output row carries
///    the match columns, which shows how it was placed.
/// 3. The address must match at or above the geocoder's threshold; otherwise the row is
///    rejected as ``GeocodeRejectReason/addressNotFound`` with the matcher's
///    ``AddressMatchReason`` (and best candidate) in the detail — plus the coordinate problem
///    when rule 2's second case applied. A row with neither usable coordinates nor an address
///    keeps its coordinate reject (`missing_coordinate` when both are blank).
///
/// Matched positions are WGS84 (``AddressMatch/lon``, ``AddressMatch/lat``): the resolver is
/// only used with the geocoder's WGS84 target. Each worker has its own resolver; all of them
/// share the one immutable geocoder, called with ``AddressGeocoder/geocode(utf8:)`` on the
/// field's bytes (no intermediate `String` for rows that are not valid UTF-8; the pipeline has
/// already rejected those as `invalid_utf8`).
final class AddressColumnResolver: CSVPointResolver {
    let geocoder: AddressGeocoder
    let header: CSVHeader
    let addressIndex: Int
    /// The coordinate reader, or `nil` when the header has neither lon nor lat column.
    let coordinates: CoordinateColumns?

    /// - Throws: `FormatError` when the address column is missing, or when only one of the
    ///   lon/lat columns exists (a half pair is a mistake, not an address-only file); `CRSError`
    ///   as ``CoordinateColumns``.
    init(header: CSVHeader, options: GeocodeOptions, geocoder: AddressGeocoder) throws {
        self.geocoder = geocoder
        self.header = header
        addressIndex = try header.require(options.addressColumn ?? "address")
        let hasLon = header.position(of: options.lonColumn) != nil, hasLat = header.position(of: options.latColumn) != nil
        coordinates = hasLon || hasLat ? try CoordinateColumns(header: header, options: options, target: .wgs84) : nil
    }

    func resolve(_ view: CSVChunkView, _ rows: inout PointRows) throws {
        let lo = rows.lo, hi = rows.hi
        var byAddress: [Int] = []
        var coordinateProblems: [Int: GeocodeReject] = [:]
        if let coordinates {
            // Hide the rows without coordinates from the coordinate reader (marked rejected
            // without a reason, restored below), so their blank fields are not rejects.
            var hidden: [Int] = []
            for r in lo ..< hi where !rows.isRejected(r) {
                if Self.isBlank(view.field(r, coordinates.lonIndex)) && Self.isBlank(view.field(r, coordinates.latIndex)) {
                    hidden.append(r)
                    rows.rejected[r - lo] = true
                }
            }
            let before = rows.rejected
            try coordinates.resolve(view, &rows)
            for r in lo ..< hi where rows.rejected[r - lo] && !before[r - lo] && !Self.isBlank(view.field(r, addressIndex)) {
                coordinateProblems[r] = rows.rejects.removeValue(forKey: r)
                rows.rejected[r - lo] = false
                byAddress.append(r)
            }
            for r in hidden {
                rows.rejected[r - lo] = false
                byAddress.append(r)
            }
            byAddress.sort()
        } else {
            byAddress = (lo ..< hi).filter { !rows.isRejected($0) }
        }
        let column = header.names[addressIndex]
        for r in byAddress {
            let field = view.field(r, addressIndex)
            if Self.isBlank(field) {
                rows.reject(r, GeocodeReject(reason: .missingCoordinate,
                                             detail: "no coordinates and the \(column) column is empty"))
                continue
            }
            let m = geocoder.geocode(utf8: field)
            if m.isMatch {
                rows.xs[r - lo] = m.lon
                rows.ys[r - lo] = m.lat
                rows.addressMatches[r] = m
            } else {
                var detail = "\(column): " + Self.describe(m)
                if let problem = coordinateProblems[r] {
                    detail += "; coordinates refused (\(problem.reason.rawValue): \(problem.detail))"
                }
                rows.reject(r, GeocodeReject(reason: .addressNotFound, detail: detail))
            }
        }
    }

    /// `no_such_number; best candidate 长寿路588弄 (lane, score 0.45)`.
    static func describe(_ m: AddressMatch) -> String {
        var text = m.reason?.rawValue ?? AddressMatchReason.unrecognised.rawValue
        if let c = m.candidate {
            text += "; best candidate \(c.canonical) (\(c.level.rawValue), score \(scoreText(c.score)))"
        }
        return text
    }

    /// A score with at most three decimals (`1`, `0.855`).
    static func scoreText(_ score: Double) -> String {
        IODecimal.text((score * 1000).rounded() / 1000)
    }

    /// Whether a field holds only ASCII spaces and tabs (the blank of ``CoordinateFieldParser``).
    @inline(__always)
    static func isBlank(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in field where b != 0x20 && b != 0x09 { return false }
        return true
    }
}
