import TwinGeo

/// What is wrong with a deliberately bad event row, and what a geocoder must do with it.
public enum BadRowKind: String, CaseIterable, Sendable, Hashable {
    /// `lon` is empty.
    case emptyLon = "empty_lon"
    /// `lon` is `abc`.
    case nonNumeric = "non_numeric"
    /// `lon` has a comma decimal separator (`121,41234`; the field is quoted).
    case commaDecimal = "comma_decimal"
    /// `lat` is written with full-width digits (`３１.２５…`).
    case fullWidthDigits = "full_width_digits"
    /// `lon` is hexadecimal (`0x79`), which `Double(String)` would accept.
    case hexNumber = "hex_number"
    /// `lon` and `lat` are swapped, so the latitude is 121.x.
    case swappedLatLon = "swapped_lat_lon"
    /// A valid position in Pudong, outside the district: not a reject, but no cell.
    case outsideDistrict = "outside_district"
    /// `lon` is `NaN`.
    case nanText = "nan_text"
    /// `lat` is `inf`.
    case infText = "inf_text"
    /// `lon` is `1e400` (overflows to infinity).
    case hugeExponent = "huge_exponent"
    /// Only `id,time,lon,lat`.
    case tooFewColumns = "too_few_columns"
    /// One column more than the header.
    case tooManyColumns = "too_many_columns"
    /// The `address` field opens a quote that is never closed; always the last row of the file,
    /// so the quoted field runs to the end of the file.
    case unterminatedQuote = "unterminated_quote"

    /// The reject reason category: `missing_coordinate`, `invalid_number`, `out_of_range`,
    /// `non_finite`, `column_count`, `unterminated_quote`, or `outside_district`.
    public var reason: String {
        switch self {
        case .emptyLon: "missing_coordinate"
        case .nonNumeric, .commaDecimal, .fullWidthDigits, .hexNumber: "invalid_number"
        case .swappedLatLon: "out_of_range"
        case .outsideDistrict: "outside_district"
        case .nanText, .infText, .hugeExponent: "non_finite"
        case .tooFewColumns, .tooManyColumns: "column_count"
        case .unterminatedQuote: "unterminated_quote"
        }
    }

    /// `reject` (the row goes to the rejects file) or `no_cell` (the row is output with empty cell codes).
    public var expected: String { self == .outsideDistrict ? "no_cell" : "reject" }
}

/// One row of `events.csv`.
public struct EventRow: Hashable, Sendable {
    /// The CSV header.
    public static let columns = ["id", "time", "lon", "lat", "crs", "source", "category", "address", "description"]

    /// Field values as written (unquoted); ``columns`` order, except for column-count bad rows.
    public var fields: [String]
    /// The bad-row kind, `nil` for a good row.
    public var badKind: BadRowKind?
    /// The WGS84 position the row was generated at (good rows and `outside_district` rows);
    /// for `gcj02` rows the file holds `GCJ02.fromWGS84(truth)`.
    public var truth: Coordinate?
    /// The unit cell containing ``truth``, at least 0.5 m from its boundary; `nil` for bad rows
    /// and for rows placed exactly on a lattice vertex (``onSharedVertex``).
    public var unitCode: String?
    /// The row's position is exactly a vertex shared by several unit cells (boundary-rule cases).
    public var onSharedVertex: Bool
    /// The row's exact text including its CRLF when it cannot be produced by quoting ``fields``
    /// (the unterminated quote), else `nil`.
    public var rawText: String?
    /// 1-based record number (the header is record 0).
    public var record: Int
    /// 1-based physical line the record starts on (the header is line 1; quoted newlines count).
    public var line: Int

    /// The event id (first field).
    public var id: String { fields.first ?? "" }
    /// The record exactly as written to `events.csv`, with its CRLF terminator.
    public var csvText: String { rawText ?? CSVFormat.record(fields) }
}

/// Which department layer answers an event category (一口派单).
public struct DispatchRule: Hashable, Sendable {
    public var category: String
    public var department: Department

    public init(category: String, department: Department) {
        self.category = category
        self.department = department
    }

    /// The sample rule table, one row per event category the generator uses.
    public static let table: [DispatchRule] = ([
        ("占道经营", .greening), ("违章搭建", .construction), ("垃圾满溢", .greening), ("治安", .police),
        ("噪声扰民", .governance), ("井盖缺失", .construction), ("积水", .construction), ("违法停车", .police),
        ("乱张贴", .greening), ("绿化损坏", .greening), ("共享单车乱停放", .governance), ("群租", .housing),
        ("物业纠纷", .housing), ("邻里纠纷", .governance), ("无证经营", .market), ("食品安全", .market),
        ("烟雾报警", .governance), ("燃气泄漏", .construction), ("人群聚集", .police),
    ] as [(String, Department)]).map { DispatchRule(category: $0.0, department: $0.1) }
}

/// RFC 4180 formatting: fields joined by commas, a field quoted (with `"` doubled) when it
/// contains a comma, a quote, CR or LF; records end with CRLF.
public enum CSVFormat {
    /// One field, quoted if needed.
    public static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        var out = "\""
        for ch in value.unicodeScalars { if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) } }
        return out + "\""
    }

    /// One record with its CRLF terminator.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
