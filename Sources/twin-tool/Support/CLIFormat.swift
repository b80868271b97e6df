import Foundation

/// Formatting shared by the commands' human-readable output.
enum CLIFormat {
    /// `2025-03-01T00:00:00Z` (UTC).
    static func instant(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// `12,345` — thousands separated, for counts a person reads.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `value` with `decimals` fixed decimals.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// The display width of `text` in a terminal: CJK and full-width characters take two columns.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, s in
            let v = s.value
            let wide = (0x1100 ... 0x115F).contains(v) || (0x2E80 ... 0xA4CF).contains(v) || (0xAC00 ... 0xD7A3).contains(v)
                || (0xF900 ... 0xFAFF).contains(v) || (0xFE30 ... 0xFE4F).contains(v) || (0xFF00 ... 0xFF60).contains(v)
                || (0xFFE0 ... 0xFFE6).contains(v) || (0x20000 ... 0x3FFFD).contains(v)
            return total + (wide ? 2 : 1)
        }
    }

    /// Rows of cells as aligned columns (two spaces apart); columns in `rightAligned` are
    /// right-aligned (numbers), the others left-aligned.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "  ") -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - width(cell))
                line += rightAligned.contains(i) ? pad + cell : cell + (i == row.count - 1 ? "" : pad)
                if i < row.count - 1 { line += "  " }
            }
            return line
        }.joined(separator: "\n")
    }
}
