/// Rewrites the coordinate columns of a CSV from one CRS to another, streaming.
///
/// The output has the input's columns in the input's order, the longitude and latitude fields
/// replaced by the converted values in the shortest text that reads back to the same `Double`
/// (Swift's `description`, a trailing `.0` dropped), so nothing is lost in the file. Rows are
/// rejected exactly as by ``BatchGeocoder`` (same reasons, same rejects columns); rows in = rows
/// out + rows rejected.
///
/// ```swift
/// let summary = try BatchCoordinateTransformer(from: .gcj02, to: .wgs84)
///     .run(input: "amap.csv", output: "wgs84.csv", rejects: "amap.rejects.csv")
/// ```
public struct BatchCoordinateTransformer: Sendable {
    /// The CRS of the input positions (rows with a ``GeocodeOptions/crsColumn`` value use theirs).
    public let source: CRS
    /// The CRS written.
    public let target: CRS
    /// How the CSV is read (``GeocodeOptions/crs`` is replaced by `source`).
    public var options: GeocodeOptions

    /// - Parameters:
    ///   - source: the CRS of the input positions.
    ///   - target: the CRS to write.
    ///   - options: columns and chunking.
    public init(from source: CRS, to target: CRS, options: GeocodeOptions = GeocodeOptions()) {
        self.source = source
        self.target = target
        self.options = options
        self.options.crs = source
    }

    /// Converts `input` into `output` and `rejects` (both created or truncated).
    ///
    /// - Returns: the counts, the reasons histogram and the time (`rowsOutside` is 0).
    /// - Throws: as ``BatchGeocoder/run(input:output:rejects:progress:)``; `CRSError` when PROJ
    ///   cannot relate `source` and `target`.
    public func run(input: String, output: String, rejects: String,
                    progress: ((GeocodeProgress) -> Void)? = nil) throws -> GeocodeSummary {
        let header = try BatchGeocoder.readHeader(input, options)
        let stage = TransformStage(lonIndex: try header.require(options.lonColumn),
                                   latIndex: try header.require(options.latColumn), delimiter: options.delimiter)
        var options = self.options
        options.timeColumn = nil
        let target = self.target
        return try CSVPointPipeline.run(input: input, output: output, rejects: rejects, otherInputs: [],
                                        options: options, stage: stage,
                                        makeResolver: { [options] in try CoordinateColumns(header: $0, options: options, target: target) },
                                        progress: progress)
    }
}

/// The transformer's second stage: the input fields with the coordinates replaced.
struct TransformStage: CSVPointStage {
    let lonIndex: Int
    let latIndex: Int
    let delimiter: UInt8

    func outputColumns(_ header: CSVHeader) -> [String] { header.names }

    func prepare(_ rows: PointRows) throws {}

    func release(_ batch: Void) {}

    var rowBytesHint: Int { 48 }

    func appendRow(_ rows: PointRows, _ view: CSVChunkView, _ r: Int, _ batch: Void, to out: CSVByteBuffer) -> Bool {
        for i in 0 ..< view.fieldCount(r) {
            if i > 0 {
                out.reserve(1)
                out.put(delimiter)
            }
            if i == lonIndex {
                out.append(Array(IODecimal.text(rows.xs[r - rows.lo]).utf8))
            } else if i == latIndex {
                out.append(Array(IODecimal.text(rows.ys[r - rows.lo]).utf8))
            } else {
                out.appendField(view.field(r, i), delimiter: delimiter)
            }
        }
        out.reserve(2)
        out.put(0x0D)
        out.put(0x0A)
        return false
    }
}
