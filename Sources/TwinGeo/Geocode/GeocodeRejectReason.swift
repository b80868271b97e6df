/// Why a CSV row was not geocoded (the `reason` column of a rejects file).
///
/// The raw values match the reason categories of the sample district's `bad-rows.json`.
/// A valid position outside every cell is **not** a reject: it is written to the output with
/// empty cell columns.
public enum GeocodeRejectReason: String, CaseIterable, Hashable, Sendable, Comparable {
    /// The longitude or latitude field is empty (or only spaces).
    case missingCoordinate = "missing_coordinate"
    /// Not a plain decimal number: letters, a comma decimal (`121,4`), full-width digits,
    /// hexadecimal (`0x79`), two dots, …
    case invalidNumber = "invalid_number"
    /// `nan`, `inf`, `infinity`, or a decimal too large for a `Double` (`1e400`).
    case nonFinite = "non_finite"
    /// Outside −180…180 (longitude) or −90…90 (latitude) for a degree CRS.
    case outOfRange = "out_of_range"
    /// The row has more or fewer fields than the header.
    case columnCount = "column_count"
    /// A quoted field is never closed (the rest of the file is this one row).
    case unterminatedQuote = "unterminated_quote"
    /// A quote inside an unquoted field, or text after a closing quote.
    case malformedQuote = "malformed_quote"
    /// A field is not valid UTF-8.
    case invalidUTF8 = "invalid_utf8"
    /// The row is longer than the reader's record limit.
    case recordTooLong = "record_too_long"
    /// The row's CRS column names no known CRS.
    case unknownCRS = "unknown_crs"
    /// The CRS conversion (PROJ) refused the position.
    case crsConversion = "crs_conversion"
    /// The time column (``GeocodeOptions/timeColumn``) is empty, not ISO 8601 with an offset,
    /// or not a calendar date and time.
    case invalidTime = "invalid_time"
    /// With ``GeocodeOptions/addressColumn``: the row has no usable coordinates and its address
    /// has no match at or above the threshold (the `detail` gives the matcher's
    /// ``AddressMatchReason`` and, when there is one, its best candidate for manual review).
    case addressNotFound = "address_not_found"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The reason for a malformed CSV record.
    init(_ issue: CSVRecordIssue) {
        switch issue {
        case .unterminatedQuote: self = .unterminatedQuote
        case .quoteInUnquotedField, .textAfterClosingQuote: self = .malformedQuote
        case .invalidUTF8: self = .invalidUTF8
        case .recordTooLong: self = .recordTooLong
        }
    }
}

/// One rejected row: the reason category and a sentence for the `detail` column.
struct GeocodeReject: Error, Sendable {
    var reason: GeocodeRejectReason
    var detail: String
}
