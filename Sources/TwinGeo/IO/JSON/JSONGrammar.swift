/// The RFC 8259 number grammar, shared by the parser and `JSONNumber(text:)`:
/// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
enum JSONGrammar {
    /// The length of the longest valid number at `start`, or `nil` when none starts there.
    static func numberLength(_ b: [UInt8], from start: Int) -> Int? {
        var i = start
        func digit(_ i: Int) -> Bool { i < b.count && b[i] >= 0x30 && b[i] <= 0x39 }
        if i < b.count && b[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return nil }
        if b[i] == UInt8(ascii: "0") { i += 1 } else { while digit(i) { i += 1 } }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            guard digit(i + 1) else { return i - start }
            i += 1
            while digit(i) { i += 1 }
        }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            var j = i + 1
            if j < b.count && (b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-")) { j += 1 }
            guard digit(j) else { return i - start }
            while digit(j) { j += 1 }
            i = j
        }
        return i - start
    }
}
