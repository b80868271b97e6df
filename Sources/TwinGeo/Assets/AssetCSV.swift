#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small RFC 4180 reader for asset tables: quoted fields with `""` escapes, separators and
/// line breaks inside quotes, CRLF or LF, a UTF-8 BOM tolerated. Each record keeps the line it
/// starts on (1-based; the header is line 1), for rejects that name the row.
struct AssetCSVTable {
    /// The header's column names.
    var header: [String]
    /// The data records and their first lines.
    var records: [(line: Int, fields: [String])]

    /// Parses a whole table.
    ///
    /// - Throws: `FormatError` for text that is not UTF-8, an empty file or a quote left open
    ///   (naming the line where the quoted field starts).
    init(bytes: [UInt8], name: String) throws {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw FormatError("the file is not UTF-8 text", at: SourceLocation(file: name))
        }
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1, quoteLine = 0
        var inQuotes = false, afterQuote = false, rowHasContent = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(field)
            if rowHasContent || fields.count > 1 || !field.isEmpty { rows.append((recordLine, fields)) }
            fields = []; field = ""; rowHasContent = false; afterQuote = false
        }
        while let c = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = it.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; afterQuote = true; pending = next }
                    } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true; quoteLine = line; rowHasContent = true
            case ",":
                fields.append(field); field = ""; afterQuote = false; rowHasContent = true
            case "\r":
                if let next = it.next(), next != "\n" { pending = next }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                field.unicodeScalars.append(c); rowHasContent = true
            }
        }
        if inQuotes {
            throw FormatError("a quoted field that starts on line \(quoteLine) is never closed", at: SourceLocation(file: name, line: quoteLine))
        }
        if rowHasContent || !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = rows.first else { throw FormatError("the file is empty (no header row)", at: SourceLocation(file: name)) }
        header = first.fields.map { $0.trimmingWhitespace() }
        records = Array(rows.dropFirst())
    }
}

/// The bytes of a file.
///
/// - Throws: `IOFileError` naming the path when it cannot be opened or read.
func assetReadFile(_ path: String) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else { throw IOFileError.fromErrno("open \(path) for reading", path: path) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(f) != 0 { throw IOFileError.fromErrno("read \(path)", path: path) }
            break
        }
    }
    return bytes
}

/// Strict field conversions shared by the CSV and GeoJSON importers (DESIGN.md "Numbers"):
/// plain decimal only, so `0x79`, `nan`, `inf`, `1e400`, `1,5` and full-width digits are refused.
enum AssetFieldText {
    /// The value of `[+-]?digits[.digits][(e|E)[+-]?digits]` (also `.5` and `5.`), finite; else `nil`.
    static func decimal(_ text: String) -> Double? {
        let s = Array(text.trimmingWhitespace().utf8)
        var i = 0, digits = 0
        if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
        while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1; digits += 1 }
        if i < s.count, s[i] == UInt8(ascii: ".") {
            i += 1
            while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
            i += 1
            if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
            var expDigits = 0
            while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1; expDigits += 1 }
            guard expDigits > 0 else { return nil }
        }
        guard i == s.count, let v = Double(String(decoding: s, as: UTF8.self)), v.isFinite else { return nil }
        return v
    }

    /// An integer written as plain decimal digits (optional sign), else `nil`.
    static func integer(_ text: String) -> Int? {
        let t = text.trimmingWhitespace()
        guard !t.isEmpty, t.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 }) else { return nil }
        return Int(t)
    }
}
