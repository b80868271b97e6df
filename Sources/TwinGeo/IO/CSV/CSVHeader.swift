/// The first record of a CSV file: column names and lookup by name.
public struct CSVHeader: Hashable, Sendable {
    /// The column names in file order.
    public let names: [String]
    /// The file the header came from (for messages).
    public let file: String?
    private let positions: [String: Int]

    /// - Parameters:
    ///   - names: the column names; when a name repeats, lookups find its first column.
    ///   - file: the file, named in errors.
    public init(names: [String], file: String? = nil) {
        self.names = names
        self.file = file
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    /// The number of columns.
    public var count: Int { names.count }

    /// The 0-based position of column `name`, or `nil`.
    public func position(of name: String) -> Int? { positions[name] }

    /// The 0-based position of column `name`.
    ///
    /// - Throws: `FormatError` naming the file, line 1, the column and every column the header has.
    public func require(_ name: String) throws -> Int {
        guard let i = positions[name] else {
            throw FormatError("the header has no column \"\(name)\" (columns: \(names.joined(separator: ", ")))",
                              at: SourceLocation(file: file, line: 1, field: name))
        }
        return i
    }

    /// Reads the header record of `reader` (its first record).
    ///
    /// - Throws: `FormatError` naming the file when it is empty or the header record is malformed;
    ///   `IOFileError` when reading fails.
    public static func read(from reader: CSVReader) throws -> CSVHeader {
        guard let record = try reader.next() else {
            throw FormatError("the file is empty: no header line", at: SourceLocation(file: reader.path, line: 1))
        }
        if let issue = record.issue {
            throw FormatError("the header is malformed: \(issue)", at: SourceLocation(file: reader.path, line: 1))
        }
        return CSVHeader(names: record.fields, file: reader.path)
    }
}
