/// Chinese numerals as written in addresses: 十二, 五百八十八, 一百零八, 两百, 一〇八, 二十.
///
/// Two forms are read:
/// * positional, with 十/百/千: 十二 = 12, 二十 = 20, 五百八十八 = 588, 一百零八 = 108, 两百 = 200,
///   and the colloquial 一百五 = 150 (a last digit right after 百/千 counts in the next lower unit;
///   after 零 it is ones: 一百零五 = 105);
/// * digit by digit, without units: 一〇八 = 108, 五八八 = 588.
///
/// Units must decrease left to right (十百 is not a number); values are capped at 99,999.
enum ChineseNumeral {
    /// The value of the numeral `s[range]`, or `nil` when it is not a well-formed numeral.
    static func value(_ s: ArraySlice<UInt32>) -> Int? {
        guard !s.isEmpty else { return nil }
        if !s.contains(where: { AddressScalars.chineseUnit($0) != nil }) {
            var v = 0
            for c in s {
                guard let d = AddressScalars.chineseDigit(c) else { return nil }
                v = v * 10 + d
                if v > 99_999 { return nil }
            }
            return v
        }
        var total = 0, current = -1, lastUnit = Int.max, afterUnit = false, zeroSeen = false
        for c in s {
            if let d = AddressScalars.chineseDigit(c) {
                if d == 0 { zeroSeen = true; current = -1; afterUnit = false; continue }
                guard current < 0 else { return nil }          // two digits in a row: 八八十
                current = d
            } else if let unit = AddressScalars.chineseUnit(c) {
                guard unit < lastUnit else { return nil }
                total += (current < 0 ? 1 : current) * unit   // 十二: a bare 十 is 10
                current = -1; lastUnit = unit; afterUnit = true; zeroSeen = false
            } else {
                return nil
            }
        }
        if current > 0 {
            // 一百五 = 150 (colloquial); 一百零五 = 105; 十五 = 15.
            total += (afterUnit && !zeroSeen && lastUnit >= 100) ? current * (lastUnit / 10) : current
        }
        return total <= 99_999 ? total : nil
    }
}
