/// Geocodes a CSV of events against a ``Twin``, streaming: every row gets its cell in every layer,
/// its hierarchy and (with a category column) the responsible cell of the dispatch rules.
///
/// Output columns, in order:
/// * every input column, as read (re-quoted only where RFC 4180 needs it);
/// * one column per layer, named after the layer (with `_cell` appended if that name is already
///   an input column): the cell code, empty where the layer has no cell;
/// * `jiezhen_code`, `pianqu_code`, `jucun_code`: the 街镇, 管理片区 and 居村 codes, for the
///   hierarchy kinds the twin has;
/// * with a category column: `responsible_layer` and `responsible_cell`, the layer the dispatch
///   rules name for the row's category and its cell there (both empty without a rule; the cell
///   empty outside that layer).
///
/// Rejected rows go to the rejects file with every input column plus `line` (the physical line
/// the row starts on), `reason` (a ``GeocodeRejectReason`` raw value) and `detail` (a sentence).
/// A valid position outside every cell is not a reject: its cell columns are empty.
/// Rows in = rows out + rows rejected, always. Positions are located in the latest epoch.
///
/// ```swift
/// let twin = try Twin.open("district.twin.gpkg")
/// let summary = try BatchGeocoder(twin: twin, options: GeocodeOptions(crsColumn: "crs"))
///     .run(input: "events.csv", output: "events.geocoded.csv", rejects: "events.rejects.csv")
/// print(summary)   // rows in 87191 = out 87180 + rejected 11 …
/// ```
public struct BatchGeocoder: Sendable {
    /// The twin that answers.
    public let twin: Twin
    /// How the CSV is read.
    public var options: GeocodeOptions

    /// - Parameters:
    ///   - twin: an opened twin.
    ///   - options: columns, CRS, chunking.
    public init(twin: Twin, options: GeocodeOptions = GeocodeOptions()) {
        self.twin = twin
        self.options = options
    }

    /// Geocodes `input` into `output` and `rejects` (both created or truncated).
    ///
    /// - Parameters:
    ///   - input: the events CSV (RFC 4180, UTF-8, a header line).
    ///   - output: the geocoded CSV.
    ///   - rejects: the rejects CSV.
    ///   - progress: called on the calling thread after each chunk is written.
    /// - Returns: the counts, the reasons histogram and the time.
    /// - Throws: ``TwinQueryError`` (`.argument`) when an output path is the input or the twin, or
    ///   both outputs are one file (checked before anything is written); `IOFileError` naming the
    ///   path that cannot be read or written; `FormatError` for an empty input, a malformed
    ///   header, or a missing column (naming it and listing the header); `CRSError` when
    ///   ``GeocodeOptions/crs`` cannot be converted to WGS84.
    /// - Complexity: O(input bytes); memory O(``GeocodeOptions/chunkRows``) (two chunks in flight).
    public func run(input: String, output: String, rejects: String,
                    progress: ((GeocodeProgress) -> Void)? = nil) throws -> GeocodeSummary {
        // The category column is resolved against the header before anything is written.
        let header = try Self.readHeader(input, options)
        let stage = try GeocodeStage(twin: twin, header: header, options: options)
        return try CSVPointPipeline.run(input: input, output: output, rejects: rejects, otherInputs: [twin.path],
                                        options: options, target: .wgs84, stage: stage, progress: progress)
    }

    /// The output columns for a CSV whose header is `header`.
    ///
    /// - Throws: `FormatError` when a named category column is missing.
    public func outputColumns(for header: CSVHeader) throws -> [String] {
        try GeocodeStage(twin: twin, header: header, options: options).outputColumns(header)
    }

    static func readHeader(_ input: String, _ options: GeocodeOptions) throws -> CSVHeader {
        let reader = try CSVReader(path: input, delimiter: options.delimiter, blockSize: 1 << 16)
        return try CSVHeader.read(from: reader)
    }
}

/// The geocoder's second stage: locate, then append the cell columns.
struct GeocodeStage: CSVPointStage {
    let twin: Twin
    let delimiter: UInt8
    let concurrent: Bool
    /// Per layer, each cell's code encoded as a CSV field.
    let encodedCodes: [[[UInt8]]]
    /// The layers of the hierarchy columns and the columns' names.
    let hierarchy: [(layer: Int, column: String)]
    let layerColumns: [String]
    let categoryIndex: Int?
    /// Category → (responsible layer's encoded name, layer index).
    let rules: [String: (name: [UInt8], layer: Int)]

    init(twin: Twin, header: CSVHeader, options: GeocodeOptions) throws {
        self.twin = twin
        delimiter = options.delimiter
        concurrent = options.concurrent
        encodedCodes = twin.layers.map { layer in
            layer.cells.map { cell in
                var out: [UInt8] = []
                CSVEncoding.appendField(cell.code.utf8, delimiter: options.delimiter, to: &out)
                return out
            }
        }
        var used = Set(header.names)
        layerColumns = twin.layerNames.map { name in
            let column = used.contains(name) ? name + "_cell" : name
            used.insert(column)
            return column
        }
        let kinds: [(GridLayerKind, String)] = [(.subdistrict, "jiezhen_code"), (.managementArea, "pianqu_code"),
                                                (.community, "jucun_code")]
        hierarchy = kinds.compactMap { kind, column in twin.layers.firstIndex { $0.kind == kind }.map { ($0, column) } }
        if let named = options.categoryColumn {
            categoryIndex = try header.require(named)
        } else {
            categoryIndex = header.position(of: "category")
        }
        var rules: [String: (name: [UInt8], layer: Int)] = [:]
        for (category, layerName) in twin.dispatchRules {
            guard let l = twin.layerIndex(named: layerName) else { continue }
            var name: [UInt8] = []
            CSVEncoding.appendField(layerName.utf8, delimiter: options.delimiter, to: &name)
            rules[category] = (name, l)
        }
        self.rules = rules
    }

    func outputColumns(_ header: CSVHeader) -> [String] {
        header.names + layerColumns + hierarchy.map(\.column)
            + (categoryIndex == nil ? [] : ["responsible_layer", "responsible_cell"])
    }

    func prepare(_ chunk: ParsedPointChunk) throws -> [[Int32]] {
        try twin.cellIndexes(xs: chunk.xs, ys: chunk.ys, crs: .wgs84, concurrently: concurrent)
    }

    func appendRow(_ parsed: ParsedPointChunk, _ bytes: UnsafeBufferPointer<UInt8>, _ r: Int, _ cells: [[Int32]],
                   to out: inout [UInt8]) -> Bool {
        let chunk = parsed.chunk
        CSVPointPipeline.appendInputFields(chunk, bytes, r, delimiter: delimiter, to: &out)
        var outside = true
        for l in 0 ..< cells.count {
            out.append(delimiter)
            let c = Int(cells[l][r])
            if c >= 0 {
                out.append(contentsOf: encodedCodes[l][c])
                outside = false
            }
        }
        for (l, _) in hierarchy {
            out.append(delimiter)
            let c = Int(cells[l][r])
            if c >= 0 { out.append(contentsOf: encodedCodes[l][c]) }
        }
        if let categoryIndex {
            let category = String(decoding: bytes[chunk.fieldRange(r, categoryIndex)], as: UTF8.self)
            out.append(delimiter)
            if let rule = rules[category] {
                out.append(contentsOf: rule.name)
                out.append(delimiter)
                let c = Int(cells[rule.layer][r])
                if c >= 0 { out.append(contentsOf: encodedCodes[rule.layer][c]) }
            } else {
                out.append(delimiter)
            }
        }
        out.append(0x0D)
        out.append(0x0A)
        return outside
    }
}
