/// Turns address text into a point, a match level and a confidence, from the address book of a
/// twin file (see ``TwinBuilder/importAddresses(_:strict:)``).
///
/// ```swift
/// let geocoder = try AddressGeocoder(twinPath: "putuo.twin.gpkg")
/// let m = geocoder.geocode("普陀区长寿路街道长寿路588弄12号3楼")
/// // m.level == .doorplate, m.canonical == "长寿路588弄12号", m.score == 1
/// if m.isMatch { let cells = try twin.locate(lon: m.lon, lat: m.lat) }
/// let many = geocoder.geocode(batch: texts)      // all cores
/// ```
///
/// Opening reads the address tables once into in-memory indexes; geocoding never touches
/// SQLite. Immutable and `Sendable`: share one geocoder between threads.
///
/// **Matching** (after ``AddressNormalizer``), precision before recall:
/// 1. exact canonical key first: road (by name, alias or abbreviation) + 弄 + 支弄 + 号 →
///    door-plate, score 1 (less small penalties, below);
/// 2. a road not in the book is looked up among the roads one edit (a substituted, missing or
///    extra character) from it; one such road is used with a penalty of 0.15; several are
///    ``AddressMatchReason/ambiguous`` unless exactly one of them has the door-plate asked for;
///    a 弄 + 号 without the 支弄 is the door-plate when exactly one 支弄 of the lane has that
///    号 (penalty 0.1);
/// 3. a 号 that does not exist is never replaced by a neighbouring number: the result falls back
///    to the 弄 (0.45) or the road (0.4), below the default threshold, so it is reported as
///    ``AddressMatchReason/noSuchNumber`` with the fallback as candidate;
/// 4. 弄 without 号: lane level 0.8; road alone: road level 0.7; 小区 0.85; POI 0.95;
///    intersection 0.9 (0.75 when the text did not mark it with 与/口); town alone 0.5;
/// 5. penalties: abbreviated road 0.05; bare number without 号 0.05; a town prefix that
///    contradicts the door-plate's town 0.2; a qualifier (近, 对面, 附近 …) ×0.9.
///
/// Results scoring below ``threshold`` (default ``defaultThreshold``) are reported as no match,
/// with the reason and the candidate.
public final class AddressGeocoder: Sendable {
    /// The default acceptance threshold: every exact reading passes, every fallback for a
    /// number or lane that does not exist does not.
    public static let defaultThreshold = 0.5

    /// The acceptance threshold.
    public let threshold: Double
    /// The normalizer, with the address book's names.
    public let normalizer: AddressNormalizer
    /// The twin file read.
    public let path: String

    let index: AddressIndex

    /// Opens the address book of a twin file.
    ///
    /// - Parameters:
    ///   - twinPath: the twin (read only; the file is not modified).
    ///   - threshold: the acceptance threshold, 0…1.
    /// - Throws: ``StoreError`` for a missing or unreadable file; ``FormatError`` when the file
    ///   has no address book or a stored row is malformed (naming table, fid and column).
    /// - Complexity: O(rows of the address tables).
    public convenience init(twinPath: String, threshold: Double = AddressGeocoder.defaultThreshold) throws {
        let package = try GeoPackage.open(at: twinPath, mode: .readOnly)
        try self.init(book: AddressIndex.readBook(package), path: twinPath, threshold: threshold)
    }

    /// A geocoder over an address book in memory (door-plates as given; no buildings added).
    ///
    /// - Parameters:
    ///   - book: the address book.
    ///   - path: a name for messages.
    ///   - threshold: the acceptance threshold, 0…1.
    public init(book: AddressBookRecords, path: String = "", threshold: Double = AddressGeocoder.defaultThreshold) throws {
        guard threshold >= 0 && threshold <= 1 else {
            throw FormatError("the threshold must be within 0…1, not \(threshold)", at: SourceLocation(field: "threshold"))
        }
        self.index = AddressIndex(book: book)
        self.normalizer = AddressNormalizer(lexicon: index.lexicon)
        self.threshold = threshold
        self.path = path
    }

    /// Geocodes one address.
    ///
    /// - Returns: the match, or no match with the reason (never throws: every input, however
    ///   malformed, has an outcome).
    /// - Complexity: O(n) in the text's length.
    public func geocode(_ text: String) -> AddressMatch {
        switch normalizer.normalize(text) {
        case .failure(let problem): return .none(Self.reason(problem))
        case .success(let address): return match(address)
        }
    }

    /// Geocodes UTF-8 bytes; invalid UTF-8 is no match with ``AddressMatchReason/invalidUTF8``.
    public func geocode(utf8 bytes: some Collection<UInt8>) -> AddressMatch {
        switch normalizer.normalize(utf8: bytes) {
        case .failure(let problem): return .none(Self.reason(problem))
        case .success(let address): return match(address)
        }
    }

    static func reason(_ problem: AddressInputProblem) -> AddressMatchReason {
        switch problem {
        case .empty: .empty
        case .onlyPunctuation: .onlyPunctuation
        case .tooLong: .tooLong
        case .invalidUTF8: .invalidUTF8
        }
    }

    /// Matches an address already taken apart (see the type's summary for the rules).
    public func match(_ a: StructuredAddress) -> AddressMatch {
        let best = index.bestCandidate(a)
        switch best {
        case .failure(let reason):
            return .none(reason)
        case .success(let (candidate, reason)):
            if candidate.score >= threshold {
                return AddressMatch(level: candidate.level, lon: candidate.lon, lat: candidate.lat, score: candidate.score,
                                    canonical: candidate.canonical, reason: reason, candidate: nil)
            }
            return .none(reason ?? .unrecognised, candidate: candidate)
        }
    }
}
