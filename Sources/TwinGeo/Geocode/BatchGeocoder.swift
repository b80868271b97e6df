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
/// * with ``GeocodeOptions/addressColumn``: `match_level`, `match_score` and `matched_address`
///   (an ``AddressMatchLevel`` raw value, the confidence with at most three decimals, the
///   canonical address found), empty for rows placed by their coordinates.
///
/// Rejected rows go to the rejects file with every input column plus `line` (the physical line
/// the row starts on), `reason` (a ``GeocodeRejectReason`` raw value) and `detail` (a sentence).
/// A valid position outside every cell is not a reject: its cell columns are empty.
/// Rows in = rows out + rows rejected, always. Positions are located in the latest epoch, or with
/// ``GeocodeOptions/timeColumn`` each in the epoch in force at its row's time.
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
    /// The address geocoder for ``GeocodeOptions/addressColumn``, or `nil` to open the twin's
    /// own address book (at ``GeocodeOptions/addressThreshold``) when a run needs it.
    public var addresses: AddressGeocoder?

    /// - Parameters:
    ///   - twin: an opened twin.
    ///   - options: columns, CRS, chunking.
    ///   - addresses: an already opened address geocoder (its threshold applies, not
    ///     ``GeocodeOptions/addressThreshold``); `nil` opens the twin's when needed.
    public init(twin: Twin, options: GeocodeOptions = GeocodeOptions(), addresses: AddressGeocoder? = nil) {
        self.twin = twin
        self.options = options
        self.addresses = addresses
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
    ///   ``GeocodeOptions/crs`` cannot be converted to WGS84. With an address column: a
    ///   `FormatError` when the twin has no address book (run `twin-tool import-addresses`) or
    ///   the threshold is outside 0…1, before anything is written.
    /// - Complexity: O(input bytes); memory O(``GeocodeOptions/chunkRows``) (two chunks in flight).
    public func run(input: String, output: String, rejects: String,
                    progress: ((GeocodeProgress) -> Void)? = nil) throws -> GeocodeSummary {
        // The category and address columns are resolved against the header before anything is
        // written, and the address book is opened (once, shared by every worker) before too.
        let header = try Self.readHeader(input, options)
        let stage = try GeocodeStage(twin: twin, header: header, options: options)
        let options = self.options
        let makeResolver: (CSVHeader) throws -> any CSVPointResolver
        if options.addressColumn != nil {
            let addresses = try self.addresses ?? AddressGeocoder(twinPath: twin.path, threshold: options.addressThreshold)
            _ = try AddressColumnResolver(header: header, options: options, geocoder: addresses)
            makeResolver = { try AddressColumnResolver(header: $0, options: options, geocoder: addresses) }
        } else {
            makeResolver = { try CoordinateColumns(header: $0, options: options, target: .wgs84) }
        }
        return try CSVPointPipeline.run(input: input, output: output, rejects: rejects, otherInputs: [twin.path],
                                        options: options, stage: stage, makeResolver: makeResolver, progress: progress)
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

/// Every layer's cell codes encoded as CSV fields, each with the delimiter in front, in one flat
/// buffer: a row's cell column is one copy (no reference counting, no per-code encoding).
final class GeocodeCodeTable: @unchecked Sendable {
    let bytes: UnsafeMutableBufferPointer<UInt8>
    /// `starts[g] ..< starts[g + 1]`: global cell `g`'s delimiter and code in `bytes`; global
    /// cell = `layerBase[l] + c`.
    let starts: UnsafeMutableBufferPointer<Int>
    let layerBase: UnsafeMutableBufferPointer<Int>
    /// The longest entry (delimiter included).
    let longest: Int

    init(_ twin: Twin, delimiter: UInt8) {
        var flat: [UInt8] = [], starts: [Int] = [], base: [Int] = []
        for layer in twin.layers {
            base.append(starts.count)
            for cell in layer.cells {
                starts.append(flat.count)
                flat.append(delimiter)
                CSVEncoding.appendField(cell.code.utf8, delimiter: delimiter, to: &flat)
            }
        }
        starts.append(flat.count)
        longest = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 1
        bytes = .allocate(capacity: max(flat.count, 1))
        _ = bytes.initialize(from: flat)
        self.starts = .allocate(capacity: starts.count)
        _ = self.starts.initialize(from: starts)
        layerBase = .allocate(capacity: max(base.count, 1))
        _ = layerBase.initialize(from: base)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        layerBase.deallocate()
    }

    /// Appends `,code` of layer `l`'s cell `c`, or only the delimiter when `c` < 0; room for
    /// ``longest`` bytes must be reserved.
    @inline(__always)
    func put(layer l: Int, cell c: Int32, delimiter: UInt8, to out: CSVByteBuffer) {
        guard c >= 0 else { return out.put(delimiter) }
        let g = layerBase[l] &+ Int(c)
        let start = starts[g]
        out.put(bytes.baseAddress! + start, starts[g &+ 1] &- start)
    }
}

/// A worker's located rows: `cells[l * count + (r - lo)]` is layer `l`'s cell index for chunk
/// row `r` (or -1). A plain pointer, freed by ``GeocodeStage/release(_:)``.
struct GeocodeBatch {
    let cells: UnsafeMutablePointer<Int32>
    let count: Int
    let lo: Int
}

/// The geocoder's second stage: locate, then append the cell columns.
struct GeocodeStage: CSVPointStage {
    let twin: Twin
    let delimiter: UInt8
    let codes: GeocodeCodeTable
    /// The layers of the hierarchy columns and the columns' names.
    let hierarchy: [(layer: Int, column: String)]
    let hierarchyLayers: [Int]
    let layerColumns: [String]
    let categoryIndex: Int?
    /// Category bytes → the responsible layer (the dispatch rules naming a layer of the twin).
    let rules: ByteKeyTable<Int>
    /// Per layer, `,name` encoded as CSV (for `responsible_layer`).
    let responsibleNames: [[UInt8]]
    /// The most bytes ``appendRow(_:_:_:_:to:)`` adds after the input fields (the matched
    /// address excepted: it reserves its own room).
    let rowExtra: Int
    /// `match_level`, `match_score`, `matched_address` (renamed like the layer columns on a
    /// clash), or empty without an address column.
    let matchColumns: [String]

    init(twin: Twin, header: CSVHeader, options: GeocodeOptions) throws {
        self.twin = twin
        delimiter = options.delimiter
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
        var rules = ByteKeyTable<Int>()
        var names = [[UInt8]](repeating: [], count: twin.layers.count)
        for (category, layerName) in twin.dispatchRules {
            guard let l = twin.layerIndex(named: layerName) else { continue }
            var name: [UInt8] = [options.delimiter]
            CSVEncoding.appendField(layerName.utf8, delimiter: options.delimiter, to: &name)
            rules.set(category, l)
            names[l] = name
        }
        self.rules = rules
        responsibleNames = names
        if let column = options.addressColumn {
            _ = try header.require(column)
            matchColumns = ["match_level", "match_score", "matched_address"].map { name in
                let unique = used.contains(name) ? name + "_geocoded" : name
                used.insert(unique)
                return unique
            }
        } else {
            matchColumns = []
        }
        rowExtra = (layerColumns.count + hierarchy.count + 1) * codes.longest + (names.map(\.count).max() ?? 0) + 4
    }

    var rowBytesHint: Int { rowExtra }

    func outputColumns(_ header: CSVHeader) -> [String] {
        header.names + layerColumns + hierarchy.map(\.column)
            + (categoryIndex == nil ? [] : ["responsible_layer", "responsible_cell"]) + matchColumns
    }

    func prepare(_ rows: PointRows) throws -> GeocodeBatch {
        let n = rows.xs.count, layers = twin.layers.count
        let cells = UnsafeMutablePointer<Int32>.allocate(capacity: max(n * layers, 1))
        cells.initialize(repeating: -1, count: max(n * layers, 1))
        let batch = GeocodeBatch(cells: cells, count: n, lo: rows.lo)
        do {
            // One worker per slice already runs on every core: each locates its own rows.
            let buffers = (0 ..< layers).map { UnsafeMutableBufferPointer(start: cells + $0 * n, count: n) }
            try rows.xs.withUnsafeBufferPointer { x in
                try rows.ys.withUnsafeBufferPointer { y in
                    if rows.times.isEmpty {
                        try twin.cellIndexes(xs: x, ys: y, into: buffers, crs: .wgs84)
                    } else {
                        try rows.times.withUnsafeBufferPointer { t in
                            try twin.cellIndexes(xs: x, ys: y, times: t, into: buffers, crs: .wgs84, concurrently: false)
                        }
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
    }

    func appendRow(_ rows: PointRows, _ view: CSVChunkView, _ r: Int, _ batch: GeocodeBatch,
                   to out: CSVByteBuffer) -> Bool {
        CSVPointPipeline.appendInputFields(view, r, delimiter: delimiter, to: out)
        out.reserve(rowExtra)
        var outside = true
        let cells = batch.cells + (r - batch.lo), n = batch.count
        for l in 0 ..< layerColumns.count {
            let c = cells[l &* n]
            if c >= 0 { outside = false }
            codes.put(layer: l, cell: c, delimiter: delimiter, to: out)
        }
        for l in hierarchyLayers {
            codes.put(layer: l, cell: cells[l &* n], delimiter: delimiter, to: out)
        }
        if let categoryIndex {
            if let l = rules.value(for: view.field(r, categoryIndex)) {
                responsibleNames[l].withUnsafeBufferPointer { out.put($0.baseAddress!, $0.count) }
                codes.put(layer: l, cell: cells[l &* n], delimiter: delimiter, to: out)
            } else {
                out.put(delimiter)
                out.put(delimiter)
            }
        }
        if !matchColumns.isEmpty { appendMatch(rows.addressMatches[r], to: out) }
        out.put(0x0D)
        out.put(0x0A)
        return outside
    }

    /// Appends `,level,score,canonical` for a row placed by its address, `,,,` for the others,
    /// and reserves room for the line end.
    private func appendMatch(_ match: AddressMatch?, to out: CSVByteBuffer) {
        if let m = match {
            var bytes: [UInt8] = [delimiter]
            bytes += m.level.rawValue.utf8
            bytes.append(delimiter)
            bytes += AddressColumnResolver.scoreText(m.score).utf8
            bytes.append(delimiter)
            CSVEncoding.appendField(m.canonical.utf8, delimiter: delimiter, to: &bytes)
            out.append(bytes)
        } else {
            out.reserve(3)
            out.put(delimiter)
            out.put(delimiter)
            out.put(delimiter)
        }
        out.reserve(2)
    }
}
