// The one place where the district's code formats are defined (DESIGN.md, "Cell code"):
//
//   街镇 (9)      DDDDDD SSS          district (GB/T 2260) + 街道 001–099 / 镇 100–199
//   居村 (12)     DDDDDD SSS CCC      + 居委 001–199 / 村委 200–399
//   单元网格 (15) DDDDDD SSS CCC NNN  + sequence 001–999 (west→east, north→south)
//   部件 (16)     DDDDDD MM mm NNNNNN district + major class 01–06 + minor class 01–99 + serial
//
// Importers, the validator, the merger's code generator and every front end call these parsers;
// nothing else decides whether a code is well formed.

/// Why a code string is not a well-formed code of the expected kind.
public struct CodeError: TwinError, Hashable {
    /// A named piece of a code, for ``Reason/outOfRange(part:value:allowed:)``.
    public enum Part: String, Sendable, Hashable, CustomStringConvertible {
        /// The 6-digit GB/T 2260 district (county-level division) code.
        case district
        /// The 3-digit 街道/镇 number.
        case subdistrict
        /// The 3-digit 居委/村委 number.
        case committee
        /// The 3-digit unit grid sequence number.
        case sequence
        /// The 2-digit component major class (01–06).
        case majorClass
        /// The 2-digit component minor class (01–99).
        case minorClass
        /// The 6-digit component serial number.
        case serial

        public var description: String {
            switch self {
            case .district: "district (digits 1–6)"
            case .subdistrict: "街道/镇 part (digits 7–9)"
            case .committee: "居委/村委 part (digits 10–12)"
            case .sequence: "sequence part (digits 13–15)"
            case .majorClass: "major class (digits 7–8)"
            case .minorClass: "minor class (digits 9–10)"
            case .serial: "serial (digits 11–16)"
            }
        }
    }

    /// What is wrong.
    public enum Reason: Sendable, Hashable {
        /// The code is the empty string.
        case empty
        /// The code has `found` characters; the kind needs `expected`.
        case length(expected: Int, found: Int)
        /// The character at 1-based `position` is not an ASCII digit 0–9 (full-width digits such
        /// as `０` are refused: they are a typing accident, not a code).
        case nonDigit(position: Int, character: String)
        /// A part's value is outside its allowed range.
        case outOfRange(part: Part, value: String, allowed: String)
    }

    /// The code as given.
    public var text: String
    /// What it was parsed as, e.g. `"居村 code (12 digits)"`.
    public var expectedKind: String
    /// Why it was refused.
    public var reason: Reason
    public var location: SourceLocation?

    public init(text: String, expectedKind: String, reason: Reason, location: SourceLocation? = nil) {
        self.text = text; self.expectedKind = expectedKind; self.reason = reason; self.location = location
    }

    public var code: TwinErrorCode { .format }

    public var message: String {
        let what: String
        switch reason {
        case .empty:
            return "the \(expectedKind) is empty"
        case .length(let expected, let found):
            what = "has \(found) characters, expected \(expected) digits"
        case .nonDigit(let position, let character):
            let unicode = character.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
            let fullWidth = character.unicodeScalars.allSatisfy { (0xFF10...0xFF19).contains($0.value) }
            what = "character \(position) \"\(character)\" (\(unicode)) is not an ASCII digit"
                + (fullWidth ? " (full-width digits are not accepted; type 0–9)" : "")
        case .outOfRange(let part, let value, let allowed):
            what = "\(part) \"\(value)\" is out of range (allowed \(allowed))"
        }
        return "\"\(text)\" is not a valid \(expectedKind): it \(what)"
    }
}

/// The shared scanner: length, ASCII digits, and numeric parts.
enum CellCodeScanner {
    /// The code's digits as values 0–9.
    ///
    /// - Throws: ``CodeError`` for a wrong length (in characters) or a character that is not 0–9.
    static func digits(_ text: String, length: Int, kind: String) throws(CodeError) -> [Int] {
        let characters = Array(text)
        guard characters.count == length else {
            throw CodeError(text: text, expectedKind: kind, reason: .length(expected: length, found: characters.count))
        }
        var digits: [Int] = []
        digits.reserveCapacity(length)
        for (i, c) in characters.enumerated() {
            // Character.isNumber/wholeNumberValue accept full-width and other scripts' digits:
            // only the ten ASCII code points are code digits.
            guard c.unicodeScalars.count == 1, let ascii = c.asciiValue, ascii >= 48, ascii <= 57 else {
                throw CodeError(text: text, expectedKind: kind, reason: .nonDigit(position: i + 1, character: String(c)))
            }
            digits.append(Int(ascii) - 48)
        }
        return digits
    }

    /// The number formed by `digits[range]`.
    static func value(_ digits: [Int], _ range: Range<Int>) -> Int {
        digits[range].reduce(0) { $0 * 10 + $1 }
    }

    /// The digits of `range` as text, for messages.
    static func text(_ digits: [Int], _ range: Range<Int>) -> String {
        digits[range].map(String.init).joined()
    }

    /// Checks a part's range, naming it when it is out.
    static func check(_ digits: [Int], _ range: Range<Int>, _ allowed: ClosedRange<Int>, part: CodeError.Part,
                      text: String, kind: String) throws(CodeError) -> Int {
        let v = value(digits, range)
        guard allowed.contains(v) else {
            let w = range.count
            throw CodeError(text: text, expectedKind: kind,
                            reason: .outOfRange(part: part, value: self.text(digits, range),
                                                allowed: "\(padded(allowed.lowerBound, width: w))–\(padded(allowed.upperBound, width: w))"))
        }
        return v
    }

    /// A GB/T 2260 county-level code: province 11–82, and not a county
    /// pair `00` (`310000` is Shanghai itself, `310100` its urban-district group; `310107` is Putuo).
    static func district(_ digits: [Int], text: String, kind: String) throws(CodeError) -> String {
        let province = value(digits, 0 ..< 2)
        let county = value(digits, 4 ..< 6)
        guard (11...82).contains(province), county != 0 else {
            throw CodeError(text: text, expectedKind: kind,
                            reason: .outOfRange(part: .district, value: self.text(digits, 0 ..< 6),
                                                allowed: "a county-level GB/T 2260 code: province 11–82, last two digits not 00"))
        }
        return self.text(digits, 0 ..< 6)
    }

    static func padded(_ value: Int, width: Int) -> String {
        let s = String(value)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// A 9-digit 街镇 code: 6-digit district + 3-digit 街道 (001–099) or 镇 (100–199).
public struct SubdistrictCode: Hashable, Sendable, CustomStringConvertible {
    /// Digits in a 街镇 code.
    public static let length = 9
    static let kindName = "街镇 code (9 digits)"

    /// The 6-digit GB/T 2260 district code, e.g. `"310107"` (普陀区).
    public let district: String
    /// The 街道/镇 number, 1–199.
    public let number: Int

    /// Parses a 9-digit 街镇 code.
    /// - Throws: ``CodeError`` for the wrong length, a non-digit, or an out-of-range part.
    public init(_ text: String) throws(CodeError) {
        let d = try CellCodeScanner.digits(text, length: Self.length, kind: Self.kindName)
        try self.init(digits: d, text: text, kind: Self.kindName)
    }

    init(digits d: [Int], text: String, kind: String) throws(CodeError) {
        district = try CellCodeScanner.district(d, text: text, kind: kind)
        number = try CellCodeScanner.check(d, 6 ..< 9, 1...199, part: .subdistrict, text: text, kind: kind)
    }

    /// Whether this is a town (镇, 100–199) rather than a sub-district (街道, 001–099).
    public var isTown: Bool { number >= 100 }

    /// The 9-digit code.
    public var description: String { district + CellCodeScanner.padded(number, width: 3) }
}

/// A 12-digit 居村 statistical division code: 街镇 code + 居委 (001–199) or 村委 (200–399).
public struct CommunityCode: Hashable, Sendable, CustomStringConvertible {
    /// Digits in a 居村 code.
    public static let length = 12
    static let kindName = "居村 code (12 digits)"

    /// The 街镇 the committee belongs to (the first 9 digits).
    public let subdistrict: SubdistrictCode
    /// The committee number, 1–399.
    public let committee: Int

    /// Parses a 12-digit 居村 code.
    /// - Throws: ``CodeError`` for the wrong length, a non-digit, or an out-of-range part.
    public init(_ text: String) throws(CodeError) {
        let d = try CellCodeScanner.digits(text, length: Self.length, kind: Self.kindName)
        try self.init(digits: d, text: text, kind: Self.kindName)
    }

    init(digits d: [Int], text: String, kind: String) throws(CodeError) {
        subdistrict = try SubdistrictCode(digits: d, text: text, kind: kind)
        committee = try CellCodeScanner.check(d, 9 ..< 12, 1...399, part: .committee, text: text, kind: kind)
    }

    /// Whether this is a village committee (村委, 200–399) rather than a neighbourhood committee (居委).
    public var isVillage: Bool { committee >= 200 }

    /// The 12-digit code.
    public var description: String { subdistrict.description + CellCodeScanner.padded(committee, width: 3) }
}

/// A 15-digit unit grid (单元网格) code: 居村 code + 3-digit sequence 001–999.
///
/// Sequences are numbered west→east, north→south within the 居村 (see ``UnitCodeGenerator``).
public struct UnitGridCode: Hashable, Sendable, CustomStringConvertible {
    /// Digits in a unit grid code.
    public static let length = 15
    static let kindName = "unit grid code (15 digits)"
    /// The sequence numbers a 居村 can give out.
    public static let sequenceRange = 1...999

    /// The 居村 the cell lies in (the first 12 digits).
    public let community: CommunityCode
    /// The sequence number, 1–999.
    public let sequence: Int

    /// Parses a 15-digit unit grid code.
    /// - Throws: ``CodeError`` for the wrong length, a non-digit, or an out-of-range part.
    public init(_ text: String) throws(CodeError) {
        let d = try CellCodeScanner.digits(text, length: Self.length, kind: Self.kindName)
        community = try CommunityCode(digits: d, text: text, kind: Self.kindName)
        sequence = try CellCodeScanner.check(d, 12 ..< 15, Self.sequenceRange, part: .sequence, text: text, kind: Self.kindName)
    }

    /// The code of sequence number `sequence` in `community`.
    /// - Throws: ``CodeError`` when `sequence` is outside 1–999.
    public init(community: CommunityCode, sequence: Int) throws(CodeError) {
        guard Self.sequenceRange.contains(sequence) else {
            throw CodeError(text: community.description + String(sequence), expectedKind: Self.kindName,
                            reason: .outOfRange(part: .sequence, value: String(sequence), allowed: "001–999"))
        }
        self.community = community
        self.sequence = sequence
    }

    /// The 15-digit code.
    public var description: String { community.description + CellCodeScanner.padded(sequence, width: 3) }
}

/// The major class of a city component (部件), digits 7–8 of its code.
public enum ComponentClass: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 01 公用设施: public utilities (manhole covers, hydrants, poles, …).
    case publicUtilities = 1
    /// 02 道路交通: roads and traffic (signs, signals, bus stops, …).
    case roadTraffic = 2
    /// 03 市容环境: city appearance and environment (bins, public toilets, …).
    case cityAppearance = 3
    /// 04 园林绿化: landscaping and greening (trees, green spaces, …).
    case greening = 4
    /// 05 房屋土地: buildings and land.
    case buildingsLand = 5
    /// 06 其他设施: other facilities.
    case other = 6

    /// The standard's Chinese name.
    public var chineseName: String {
        switch self {
        case .publicUtilities: "公用设施"
        case .roadTraffic: "道路交通"
        case .cityAppearance: "市容环境"
        case .greening: "园林绿化"
        case .buildingsLand: "房屋土地"
        case .other: "其他设施"
        }
    }

    public var description: String { CellCodeScanner.padded(rawValue, width: 2) + " " + chineseName }
}

/// A 16-digit component (部件) code: district + major class 01–06 + minor class 01–99 + serial
/// 000001–999999.
public struct ComponentCode: Hashable, Sendable, CustomStringConvertible {
    /// Digits in a component code.
    public static let length = 16
    static let kindName = "component code (16 digits)"

    /// The 6-digit GB/T 2260 district code.
    public let district: String
    /// The major class.
    public let majorClass: ComponentClass
    /// The minor class within the major class, 1–99.
    public let minorClass: Int
    /// The serial number, 1–999999.
    public let serial: Int

    /// Parses a 16-digit component code.
    /// - Throws: ``CodeError`` for the wrong length, a non-digit, or an out-of-range part.
    public init(_ text: String) throws(CodeError) {
        let k = Self.kindName
        let d = try CellCodeScanner.digits(text, length: Self.length, kind: k)
        district = try CellCodeScanner.district(d, text: text, kind: k)
        let major = try CellCodeScanner.check(d, 6 ..< 8, 1...6, part: .majorClass, text: text, kind: k)
        majorClass = ComponentClass(rawValue: major)!  // 1...6 checked above
        minorClass = try CellCodeScanner.check(d, 8 ..< 10, 1...99, part: .minorClass, text: text, kind: k)
        serial = try CellCodeScanner.check(d, 10 ..< 16, 1...999_999, part: .serial, text: text, kind: k)
    }

    /// The 16-digit code.
    public var description: String {
        district + CellCodeScanner.padded(majorClass.rawValue, width: 2)
            + CellCodeScanner.padded(minorClass, width: 2) + CellCodeScanner.padded(serial, width: 6)
    }
}

/// Code checks by layer kind.
public enum CellCode {
    /// Checks that `code` is a well-formed code for a cell of a layer of `kind`: 9 digits for
    /// ``GridLayerKind/subdistrict``, 12 for ``GridLayerKind/community``, 15 for
    /// ``GridLayerKind/unitGrid``. Department and management-area codes are the owners' own and
    /// only need to be non-empty.
    ///
    /// - Throws: ``CodeError`` saying what is wrong.
    public static func validate(_ code: String, for kind: GridLayerKind) throws(CodeError) {
        switch kind {
        case .subdistrict: _ = try SubdistrictCode(code)
        case .community: _ = try CommunityCode(code)
        case .unitGrid: _ = try UnitGridCode(code)
        case .department, .managementArea:
            guard !code.isEmpty else {
                throw CodeError(text: code, expectedKind: "\(kind.chineseName) code", reason: .empty)
            }
        }
    }
}
