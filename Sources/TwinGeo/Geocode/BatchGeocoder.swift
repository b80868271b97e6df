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

/// Every layer's cell codes encoded as CSV fields, in one flat buffer (no reference counting
/// per appended code).
final class GeocodeCodeTable: @unchecked Sendable {
    let bytes: UnsafeMutableBufferPointer<UInt8>
    /// `ends[g]`: end of global cell `g`'s code in `bytes`; global cell = `layerBase[l] + c`.
    let ends: UnsafeMutableBufferPointer<Int>
    let layerBase: [Int]

    init(_ twin: Twin, delimiter: UInt8) {
        var flat: [UInt8] = [], ends: [Int] = [], base: [Int] = []
        for layer in twin.layers {
            base.append(ends.count)
            for cell in layer.cells {
                CSVEncoding.appendField(cell.code.utf8, delimiter: delimiter, to: &flat)
                ends.append(flat.count)
            }
        }
        bytes = .allocate(capacity: max(flat.count, 1))
        _ = bytes.initialize(from: flat)
        self.ends = .allocate(capacity: max(ends.count, 1))
        _ = self.ends.initialize(from: ends)
        layerBase = base
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }
}

/// One located chunk: `cells[l * count + r]` is layer `l`'s cell index for row `r` (or -1).
/// Plain pointers, freed by ``GeocodeStage/release(_:)``.
struct GeocodeBatch: @unchecked Sendable {
    let cells: UnsafeMutablePointer<Int32>
    let count: Int
    let codeBytes: UnsafeMutablePointer<UInt8>
    let codeEnds: UnsafeMutablePointer<Int>
    let layerBase: UnsafeMutablePointer<Int>
    let rules: UnsafeMutablePointer<Int>?

    /// Appends the encoded code of layer `l`'s cell for row `r`; `false` when there is none.
    @inline(__always)
    func appendCode(layer l: Int, row r: Int, to out: inout [UInt8]) -> Bool {
        let c = Int(cells[l &* count &+ r])
        guard c >= 0 else { return false }
        let g = layerBase[l] &+ c
        let start = g == 0 ? 0 : codeEnds[g &- 1]
        out.append(contentsOf: UnsafeBufferPointer(start: codeBytes + start, count: codeEnds[g] &- start))
        return true
    }
}

/// The geocoder's second stage: locate, then append the cell columns.
struct GeocodeStage: CSVPointStage {
    let twin: Twin
    let delimiter: UInt8
    let concurrent: Bool
    let codes: GeocodeCodeTable
    /// The layers of the hierarchy columns and the columns' names.
    let hierarchy: [(layer: Int, column: String)]
    let hierarchyLayers: [Int]
    let layerColumns: [String]
    let categoryIndex: Int?
    /// Category → (responsible layer's encoded name, layer index).
    let rules: [String: (name: [UInt8], layer: Int)]
    /// Per layer, its name encoded as a CSV field (for `responsible_layer`).
    let responsibleNames: [[UInt8]]

    init(twin: Twin, header: CSVHeader, options: GeocodeOptions) throws {
        self.twin = twin
        delimiter = options.delimiter
        concurrent = options.concurrent
        codes = GeocodeCodeTable(twin, delimiter: options.delimiter)
        var used = Set(header.names)
        layerColumns = twin.layerNames.map { name in
            let column = used.contains(name) ? name + "_cell" : name
            used.insert(column)
            return column
        }
        let kinds: [(GridLayerKind, String)] = [(.subdistrict, "jiezhen_code"), (.managementArea, "pianqu_code"),
                                                (.community, "jucun_code")]
        hierarchy = kinds.compactMap { kind, column in twin.layers.firstIndex { $0.kind == kind }.map { ($0, column) } }
        hierarchyLayers = hierarchy.map(\.layer)
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
        var names = [[UInt8]](repeating: [], count: twin.layers.count)
        for (_, rule) in rules { names[rule.layer] = rule.name }
        responsibleNames = names
    }

    func outputColumns(_ header: CSVHeader) -> [String] {
        header.names + layerColumns + hierarchy.map(\.column)
            + (categoryIndex == nil ? [] : ["responsible_layer", "responsible_cell"])
    }

    func prepare(_ chunk: ParsedPointChunk) throws -> GeocodeBatch {
        let n = chunk.xs.count, layers = twin.layers.count
        let cells = UnsafeMutablePointer<Int32>.allocate(capacity: max(n * layers, 1))
        cells.initialize(repeating: -1, count: max(n * layers, 1))
        let layerBase = UnsafeMutablePointer<Int>.allocate(capacity: max(layers, 1))
        layerBase.initialize(from: codes.layerBase, count: layers)
        // Per row, the responsible layer (or -1), so the formatting loop does no dictionary work.
        var rules: UnsafeMutablePointer<Int>?
        if let categoryIndex {
            let r = UnsafeMutablePointer<Int>.allocate(capacity: max(n, 1))
            var cache: [String: Int] = [:]
            chunk.chunk.withView { view in
                for row in 0 ..< n {
                    guard chunk.xs[row].isFinite, categoryIndex < view.fieldCount(row) else { r[row] = -1; continue }
                    let category = String(decoding: view.field(row, categoryIndex), as: UTF8.self)
                    if let known = cache[category] { r[row] = known; continue }
                    let l = self.rules[category]?.layer ?? -1
                    cache[category] = l
                    r[row] = l
                }
            }
            rules = r
        }
        let batch = GeocodeBatch(cells: cells, count: n, codeBytes: codes.bytes.baseAddress!, codeEnds: codes.ends.baseAddress!,
                                 layerBase: layerBase, rules: rules)
        do {
            let buffers = (0 ..< layers).map { UnsafeMutableBufferPointer(start: cells + $0 * n, count: n) }
            try chunk.xs.withUnsafeBufferPointer { x in
                try chunk.ys.withUnsafeBufferPointer { y in
                    if concurrent {
                        try twin.cellIndexesConcurrently(xs: x, ys: y, into: buffers, crs: .wgs84)
                    } else {
                        try twin.cellIndexes(xs: x, ys: y, into: buffers, crs: .wgs84)
                    }
                }
            }
        } catch {
            release(batch)
            throw error
        }
        return batch
    }

    func release(_ batch: GeocodeBatch) {
        batch.cells.deallocate()
        batch.layerBase.deallocate()
        batch.rules?.deallocate()
    }

    func appendRow(_ parsed: ParsedPointChunk, _ view: CSVChunkView, _ r: Int, _ batch: GeocodeBatch,
                   to out: inout [UInt8]) -> Bool {
        CSVPointPipeline.appendInputFields(view, r, delimiter: delimiter, to: &out)
        var outside = true
        let layers = layerColumns.count
        for l in 0 ..< layers {
            out.append(delimiter)
            if batch.appendCode(layer: l, row: r, to: &out) { outside = false }
        }
        for l in hierarchyLayers {
            out.append(delimiter)
            _ = batch.appendCode(layer: l, row: r, to: &out)
        }
        if let rules = batch.rules {
            out.append(delimiter)
            let l = rules[r]
            if l >= 0 {
                out.append(contentsOf: responsibleNames[l])
                out.append(delimiter)
                _ = batch.appendCode(layer: l, row: r, to: &out)
            } else {
                out.append(delimiter)
            }
        }
        out.append(0x0D)
        out.append(0x0A)
        return outside
    }
}
