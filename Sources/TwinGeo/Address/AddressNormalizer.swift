/// Why a text cannot be taken apart as an address at all.
public enum AddressInputProblem: String, Error, Sendable, Hashable, CaseIterable {
    /// The text is empty.
    case empty
    /// Only spaces, punctuation or control characters.
    case onlyPunctuation
    /// Longer than ``AddressNormalizer/maximumLength`` Unicode scalars.
    case tooLong
    /// Not valid UTF-8 (bytes), or text holding U+FFFD, the mark of an earlier lossy decoding.
    /// Rejected rather than repaired: a replaced byte can turn one door-plate into another
    /// (`长寿路588弄` with a lost digit), and a wrong building is worse than a manual review.
    case invalidUTF8
}

/// Takes Shanghai-style address text apart into a ``StructuredAddress``.
///
/// ```swift
/// let n = AddressNormalizer(lexicon: lexicon)
/// let a = try n.normalize("上海市普陀区长寿路街道 长寿路五百八十八弄十二号3楼").get()
/// // a.town == "长寿路街道", a.road == "长寿路", a.lane == 588, a.number == 12, a.floor == 3
/// // a.canonicalKey == "长寿路588弄12号"
/// ```
///
/// The steps, all on Unicode scalars (no Foundation, no locale), so the result is the same on
/// every machine:
/// 1. **Checks**: empty, longer than ``maximumLength`` scalars, U+FFFD present.
/// 2. **Folding** (`AddressScalars`): full width → ASCII, letters upper case, traditional
///    variants (號, 樓, 衖 …) → simplified, ①…⑳ → digits. Separators (spaces, punctuation,
///    brackets, controls, zero-width marks) are dropped, except that one space is kept between
///    two digit runs so `588 12` stays two numbers.
/// 3. **Numerals**: a run of Chinese numerals right before a unit (弄 支弄 号 幢 栋 座 楼 层 室
///    单元 门 #) becomes digits (``ChineseNumeral``): 五百八十八弄 → 588弄, 一〇八号 → 108号.
///    Numerals elsewhere are part of a name (中远两湾城, 三泉路) and are kept.
/// 4. **Prefixes**, in any order: 上海/上海市, a district (普陀区, 普陀), a town of the lexicon
///    (长寿路街道, 长寿街道) or of the shape `…街道` before any digit.
/// 5. **Body**: a 小区/POI name of the lexicon, or a road (the lexicon's longest match, then the
///    shape `…路/街/大道/公路/支路/巷`, then the text up to the first digit as a possibly
///    misspelt road); after a road, an intersection (`与/和/及/跟/同/、` then a second road, then
///    `交叉口/路口/口/交口/交界处/交汇处`, or the second road right after the first), else
///    numbers with their units: N弄, N支弄, N号 (N# too), N号楼/N幢/N栋/N座, N单元, N层/N楼/NF,
///    N室. A bare number is the 号 (or, followed by another bare number, the 弄); a bare number
///    after the 号 is the room. A 小区 name may follow.
/// 6. **Rest**: qualifiers (近 靠近 旁 旁边 边上 对面 附近 周边 一带 门口) are recorded, the
///    other unused text is kept in ``StructuredAddress/remainder``.
///
/// Immutable and `Sendable`: one normalizer serves every thread.
public struct AddressNormalizer: Sendable {
    /// The longest text accepted, in Unicode scalars. Real addresses are under 100; a longer
    /// text is a description or a paste error, and parsing it would only produce noise.
    public static let maximumLength = 512

    /// The names recognised.
    public let lexicon: AddressLexicon

    /// Creates a normalizer.
    ///
    /// - Parameter lexicon: the names to recognise; the default knows Shanghai's districts only.
    public init(lexicon: AddressLexicon = AddressLexicon()) {
        self.lexicon = lexicon
    }

    /// Takes `text` apart.
    ///
    /// - Returns: the structured address, or the problem that prevents reading it.
    /// - Complexity: O(n) in the text's length (each lexicon lookup is bounded by the longest name).
    public func normalize(_ text: String) -> Result<StructuredAddress, AddressInputProblem> {
        var s: [UInt32] = []
        if let problem = Self.fold(text, into: &s) { return .failure(problem) }
        return .success(parse(s))
    }

    /// Takes UTF-8 bytes apart; invalid UTF-8 is ``AddressInputProblem/invalidUTF8``.
    public func normalize(utf8 bytes: some Collection<UInt8>) -> Result<StructuredAddress, AddressInputProblem> {
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.invalidUTF8) }
        return normalize(text)
    }

    // MARK: Folding

    /// Steps 1–3: checks, folding, separators and numerals. Returns the problem, or `nil` with
    /// the folded scalars in `s`.
    static func fold(_ text: String, into s: inout [UInt32]) -> AddressInputProblem? {
        if text.isEmpty { return .empty }
        s.removeAll(keepingCapacity: true)
        var count = 0
        var gap = false
        for scalar in text.unicodeScalars {
            count += 1
            if count > maximumLength { return .tooLong }
            let v = scalar.value
            if v == 0xFFFD { return .invalidUTF8 }
            if AddressScalars.isSeparator(v) { gap = true; continue }
            let before = s.count
            AddressScalars.fold(v, into: &s)
            if gap, before > 0, AddressScalars.isDigit(s[before - 1]), AddressScalars.isDigit(s[before]) {
                s.insert(0x20, at: before)
            }
            gap = false
        }
        if s.isEmpty { return .onlyPunctuation }
        convertNumerals(&s)
        return nil
    }

    /// Replaces each run of Chinese numerals that stands right before a unit by its digits.
    static func convertNumerals(_ s: inout [UInt32]) {
        var i = 0
        var out: [UInt32]? = nil
        while i < s.count {
            guard AddressScalars.isChineseNumeral(s[i]) else {
                out?.append(s[i]); i += 1; continue
            }
            var j = i
            while j < s.count, AddressScalars.isChineseNumeral(s[j]) { j += 1 }
            if j < s.count, unitLength(s, at: j) > 0, let v = ChineseNumeral.value(s[i..<j]) {
                if out == nil { out = Array(s[0..<i]) }
                for d in String(v).unicodeScalars { out!.append(d.value) }
            } else {
                if out != nil { out!.append(contentsOf: s[i..<j]) }
            }
            i = j
        }
        if let out { s = out }
    }

    /// The length of the unit word at `s[i]` (弄, 支弄, 号, 号楼, 号门, 幢, 栋, 座, 楼, 层, 室,
    /// 单元, 门, #, F), or 0.
    @inline(__always)
    static func unitLength(_ s: [UInt32], at i: Int) -> Int {
        guard i < s.count else { return 0 }
        switch s[i] {
        case AddressChar.long, AddressChar.zhuang, AddressChar.dong, AddressChar.zuo, AddressChar.lou,
             AddressChar.ceng, AddressChar.shi, AddressChar.men, AddressChar.hash, 0x46 /* F */:
            return 1
        case AddressChar.hao:
            if i + 1 < s.count, s[i + 1] == AddressChar.lou || s[i + 1] == AddressChar.men { return 2 }
            return 1
        case AddressChar.zhi:
            return i + 1 < s.count && s[i + 1] == AddressChar.long ? 2 : 0
        case AddressChar.dan:
            return i + 1 < s.count && s[i + 1] == AddressChar.yuan ? 2 : 0
        default:
            return 0
        }
    }
}
