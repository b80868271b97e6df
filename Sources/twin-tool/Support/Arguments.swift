import ArgumentParser
import Foundation
import TwinGeo

/// The twin file every twin command starts with (`twin-tool <command> TWIN.gpkg …`).
struct TwinOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The twin file (a GeoPackage written by twin-tool).", valueName: "twin.gpkg"))
    var twin: String
}

extension CRS: ExpressibleByArgument {
    /// Parses `wgs84`, `cgcs2000`, `gcj02`, `bd09`, `EPSG:n` (see `CRS(name:)`); anything else is
    /// a usage error (exit 2) listing the accepted names.
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var allValueStrings: [String] { ["wgs84", "cgcs2000", "gcj02", "bd09", "EPSG:<n>"] }
}

extension GridLayerKind: ExpressibleByArgument {
    /// The kebab-case spelling on the command line: `department`, `subdistrict`,
    /// `management-area`, `community`, `unit-grid` (the camel-case raw values are accepted too).
    public var argumentName: String {
        switch self {
        case .department: "department"
        case .subdistrict: "subdistrict"
        case .managementArea: "management-area"
        case .community: "community"
        case .unitGrid: "unit-grid"
        }
    }

    public init?(argument: String) {
        guard let kind = GridLayerKind.allCases.first(where: { $0.argumentName == argument || $0.rawValue == argument }) else {
            return nil
        }
        self = kind
    }

    public static var allValueStrings: [String] { allCases.map(\.argumentName) }
    public var defaultValueDescription: String { argumentName }
}

/// A date or instant on the command line: `YYYY-MM-DD` (midnight UTC, the twin file's convention)
/// or ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff](Z|±hh:mm)`.
struct DateArgument: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        let s = argument.trimmingCharacters(in: .whitespaces)
        let formatter = ISO8601DateFormatter()
        if s.count == 10 {
            formatter.formatOptions = [.withFullDate, .withDashSeparatorInDate]
        } else if s.contains(".") {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        } else {
            formatter.formatOptions = [.withInternetDateTime]
        }
        formatter.timeZone = TimeZone(identifier: "UTC")
        guard let date = formatter.date(from: s) else { return nil }
        self.date = date
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// Strict decimal text for coordinates (DESIGN.md, "Numbers"): `[+-]digits[.digits][e[+-]digits]`
/// with a finite value. `Double(String)` alone would take `0x79`, `nan`, `inf` and `1e400`.
enum StrictDecimal {
    /// The value of `text`, or `nil` when it is not plain decimal or not finite.
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, (0x30 ... 0x39).contains(b[i]) { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
        guard digits() > 0 else { return nil }
        if i < b.count, b[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return nil }
        }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == b.count, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// A coordinate argument (`LON`, `LAT`): strict decimal, finite.
struct CoordinateArgument: ExpressibleByArgument {
    var value: Double
    init?(argument: String) {
        guard let v = StrictDecimal.parse(argument) else { return nil }
        value = v
    }
}

/// Output paths that would overwrite an input are refused (DESIGN.md, "Files").
enum PathCheck {
    /// The path made absolute and with `.`/`..` and symbolic links resolved, for comparison.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Throws a usage error when `output` is the same file as any of `inputs`.
    static func refuseOverwrite(output: String, option: String, inputs: [String]) throws {
        let out = canonical(output)
        if let clash = inputs.first(where: { canonical($0) == out }) {
            throw ValidationError("\(option) \(output) is the same file as the input \(clash); choose another output path")
        }
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
