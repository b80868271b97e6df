/// How precisely an address was placed, finest first.
public enum AddressMatchLevel: String, Sendable, Hashable, CaseIterable {
    /// 门牌: the door-plate's entrance.
    case doorplate
    /// 弄: the centre of the lane's door-plates.
    case lane
    /// A named point (小区 entrance, school, station): the point itself.
    case poi
    /// 小区: the centroid of its outline.
    case community
    /// 交叉口: where the two centrelines cross.
    case intersection
    /// 路: the point halfway along the road's centreline.
    case road
    /// 街镇: the centre of the town's door-plates.
    case town
    /// No match.
    case none
}

/// Why an address has no match (or, below the threshold, why its best candidate is coarser
/// than the text asked for).
public enum AddressMatchReason: String, Error, Sendable, Hashable, CaseIterable {
    /// The text is empty.
    case empty
    /// Only spaces, punctuation or control characters.
    case onlyPunctuation
    /// Longer than ``AddressNormalizer/maximumLength`` scalars.
    case tooLong
    /// Invalid UTF-8 (rejected, not repaired; see ``AddressInputProblem/invalidUTF8``).
    case invalidUTF8
    /// No road, 小区, POI or town was recognised.
    case unrecognised
    /// The road is not in the address book (nor within one character of one of its names).
    case noSuchRoad
    /// The road exists, the 弄 (or 支弄) does not.
    case noSuchLane
    /// The road (and 弄) exist, the 号 does not. A neighbouring number is never taken instead.
    case noSuchNumber
    /// Both roads exist but their centrelines do not meet.
    case noSuchIntersection
    /// The text fits more than one place equally well (two roads one typo away, two roads
    /// crossing twice far apart).
    case ambiguous
}

/// The outcome for one address text.
///
/// A match is accepted when its score is at least the geocoder's threshold; below it the
/// result has level ``AddressMatchLevel/none``, the ``reason``, and the best guess in
/// ``candidate`` for manual review.
public struct AddressMatch: Sendable, Hashable {
    /// How precisely the address was placed; `.none` when there is no accepted match.
    public var level: AddressMatchLevel
    /// WGS84 longitude; NaN when there is no match.
    public var lon: Double
    /// WGS84 latitude; NaN when there is no match.
    public var lat: Double
    /// Confidence 0…1 (0 when there is no match).
    public var score: Double
    /// The matched address in canonical form (``StructuredAddress/canonicalKey`` of what was
    /// found, e.g. `长寿路588弄12号`); empty when there is no match.
    public var canonical: String
    /// Why there is no match, or why a fallback is coarser than the text asked for.
    public var reason: AddressMatchReason?
    /// The best guess below the threshold (level, point, score, canonical; its own candidate
    /// and reason are empty), for manual review.
    public var candidate: AddressCandidate?

    /// Equal when every field is; the NaN positions of two non-matches are equal (unlike
    /// `Double`'s `==`), so results can be compared as values.
    public static func == (a: AddressMatch, b: AddressMatch) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        return a.level == b.level && same(a.lon, b.lon) && same(a.lat, b.lat) && a.score == b.score
            && a.canonical == b.canonical && a.reason == b.reason && a.candidate == b.candidate
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(level); hasher.combine(canonical); hasher.combine(score); hasher.combine(reason)
    }

    /// Whether a place was found.
    public var isMatch: Bool { level != .none }

    /// A result without a match.
    public static func none(_ reason: AddressMatchReason, candidate: AddressCandidate? = nil) -> AddressMatch {
        AddressMatch(level: .none, lon: .nan, lat: .nan, score: 0, canonical: "", reason: reason, candidate: candidate)
    }
}

/// A candidate place for an address (see ``AddressMatch/candidate``).
public struct AddressCandidate: Sendable, Hashable {
    public var level: AddressMatchLevel
    public var lon: Double
    public var lat: Double
    public var score: Double
    public var canonical: String
}
