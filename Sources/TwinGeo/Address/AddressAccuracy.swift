/// The accuracy of an ``AddressGeocoder`` on addresses with known answers: the sample
/// district's `events/event_addresses.csv` (`id,address,style,truth_level,truth_lon,truth_lat`),
/// or any file in that format.
///
/// The four figures of issue 9:
/// * ``cleanDoorplateRate``: addresses of style `clean` whose truth is a door-plate, matched at
///   door-plate level (target ≥ 99 %);
/// * ``noisyRightLevelRate``: every style but `clean` and `nonexistent`, matched at the truth's
///   level (a POI counts as `community`, the level the sample gives 小区 gates) (≥ 90 %);
/// * ``wrongLocationRate``: accepted matches more than 50 m from the truth point, over all
///   accepted matches that have a truth point (≤ 0.5 %);
/// * ``nonexistentNotFoundRate``: style `nonexistent` reported as no match (≥ 95 %).
public struct AddressAccuracyReport: Sendable, CustomStringConvertible {
    /// Counts of one style (or all).
    public struct Tally: Sendable, Hashable {
        public var rows = 0
        /// Matched at the truth's level.
        public var rightLevel = 0
        /// Accepted (level other than none).
        public var accepted = 0
        /// Accepted and more than 50 m from the truth point.
        public var wrong = 0
    }

    /// Per style, in first-seen order.
    public var styles: [(style: String, tally: Tally)] = []
    public var cleanDoorplates = 0, cleanDoorplatesMatched = 0
    public var noisy = 0, noisyRightLevel = 0
    public var acceptedWithTruth = 0, wrongLocation = 0
    public var nonexistent = 0, nonexistentNotFound = 0
    /// The address texts read, in file order (for throughput measurements on the same data).
    public var texts: [String] = []
    /// Up to 40 examples of each kind of miss, for people: (text, truth level, what came out).
    public var examples: [(String, String, AddressMatch)] = []

    public var cleanDoorplateRate: Double { Self.rate(cleanDoorplatesMatched, cleanDoorplates) }
    public var noisyRightLevelRate: Double { Self.rate(noisyRightLevel, noisy) }
    public var wrongLocationRate: Double { Self.rate(wrongLocation, acceptedWithTruth) }
    public var nonexistentNotFoundRate: Double { Self.rate(nonexistentNotFound, nonexistent) }

    static func rate(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// Geocodes every row of an `event_addresses.csv` file (batch, all cores) and scores it.
    ///
    /// - Throws: `IOFileError`, `FormatError` for an unreadable file or a missing column; a row
    ///   whose truth cannot be read (bad level or number) is a `FormatError` naming its line.
    public static func measure(_ geocoder: AddressGeocoder, eventAddressesCSV path: String) throws -> AddressAccuracyReport {
        let (records, index, _) = try AddressBookReader.csv(path, required: ["address", "style", "truth_level", "truth_lon", "truth_lat"])
        // Texts exactly as written (not trimmed): the geocoder must cope with the spaces.
        let raw = records.map { r in index["address"].map { $0 < r.fields.count ? r.fields[$0] : "" } ?? "" }
        let matches = geocoder.geocode(batch: raw)
        var report = AddressAccuracyReport()
        report.texts = raw
        var styleIndex: [String: Int] = [:]
        for (k, (line, fields)) in records.enumerated() {
            let style = AddressBookReader.field(fields, index, "style")
            let truthText = AddressBookReader.field(fields, index, "truth_level")
            guard let truth = AddressMatchLevel(rawValue: truthText) else {
                throw FormatError("truth_level \"\(truthText)\" is not a match level", at: SourceLocation(file: path, line: line, field: "truth_level"))
            }
            var truthPoint: Coordinate?
            let lonText = AddressBookReader.field(fields, index, "truth_lon"), latText = AddressBookReader.field(fields, index, "truth_lat")
            if !lonText.isEmpty || !latText.isEmpty {
                guard let lon = AssetFieldText.decimal(lonText), let lat = AssetFieldText.decimal(latText) else {
                    throw FormatError("the truth position is not two decimals", at: SourceLocation(file: path, line: line, field: "truth_lon"))
                }
                truthPoint = Coordinate(lon, lat)
            }
            let m = matches[k]
            let level: AddressMatchLevel = m.level == .poi ? .community : m.level
            let right = level == truth
            var wrong = false
            if m.isMatch, let t = truthPoint {
                report.acceptedWithTruth += 1
                wrong = AddressGeometry.distanceMetres(Coordinate(m.lon, m.lat), t) > 50
                if wrong { report.wrongLocation += 1 }
            }
            if styleIndex[style] == nil { styleIndex[style] = report.styles.count; report.styles.append((style, Tally())) }
            var tally = report.styles[styleIndex[style]!].tally
            tally.rows += 1
            if right { tally.rightLevel += 1 }
            if m.isMatch { tally.accepted += 1 }
            if wrong { tally.wrong += 1 }
            report.styles[styleIndex[style]!].tally = tally
            switch style {
            case "clean" where truth == .doorplate:
                report.cleanDoorplates += 1
                if m.level == .doorplate { report.cleanDoorplatesMatched += 1 }
            case "clean":
                break
            case "nonexistent":
                report.nonexistent += 1
                if !m.isMatch { report.nonexistentNotFound += 1 }
            default:
                report.noisy += 1
                if right { report.noisyRightLevel += 1 }
            }
            if (!right || wrong), report.examples.count < 40 { report.examples.append((raw[k], truthText, m)) }
        }
        return report
    }

    public var description: String {
        func pct(_ v: Double) -> String {
            let x = (v * 10_000).rounded() / 100
            return "\(x) %"
        }
        var lines = [
            "clean door-plates at door-plate level: \(cleanDoorplatesMatched)/\(cleanDoorplates) = \(pct(cleanDoorplateRate)) (target ≥ 99 %)",
            "noisy at the right level:              \(noisyRightLevel)/\(noisy) = \(pct(noisyRightLevelRate)) (target ≥ 90 %)",
            "wrong location (> 50 m) when accepted: \(wrongLocation)/\(acceptedWithTruth) = \(pct(wrongLocationRate)) (target ≤ 0.5 %)",
            "nonexistent reported not found:        \(nonexistentNotFound)/\(nonexistent) = \(pct(nonexistentNotFoundRate)) (target ≥ 95 %)",
            "per style (rows, right level, accepted, wrong > 50 m):",
        ]
        for (style, t) in styles {
            lines.append("  \(style): \(t.rows), \(t.rightLevel), \(t.accepted), \(t.wrong)")
        }
        return lines.joined(separator: "\n")
    }
}
