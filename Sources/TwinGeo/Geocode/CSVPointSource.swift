import Dispatch

/// One chunk after the first stage: the records, each row's position converted to the target
/// CRS (NaN for rejected rows), and the rejects by record index.
struct ParsedPointChunk: Sendable {
    var chunk: CSVChunk
    var xs: [Double]
    var ys: [Double]
    var rejects: [Int: GeocodeReject]
}

/// The first pipeline stage: reads chunks of records, parses the coordinate fields strictly,
/// checks ranges, resolves each row's CRS and converts positions to the target CRS.
///
/// Used by one thread at a time (the pipeline hands it from chunk to chunk), hence `@unchecked`.
final class CSVPointSource: @unchecked Sendable {
    let reader: CSVReader
    let header: CSVHeader
    let lonIndex: Int, latIndex: Int
    let crsIndex: Int?
    let defaultCRS: CRS
    let target: CRS
    let chunkRows: Int
    private var crsByName: [String: Result<CRS, GeocodeReject>] = [:]
    private var transforms: [CRS: CoordinateTransform] = [:]

    /// Opens the input and resolves the columns.
    ///
    /// - Throws: `IOFileError` for an unreadable input; `FormatError` for an empty file, a
    ///   malformed header or a missing column (naming it and the header); `CRSError` when the
    ///   default CRS cannot be converted to `target`.
    init(path: String, options: GeocodeOptions, target: CRS) throws {
        reader = try CSVReader(path: path, delimiter: options.delimiter, blockSize: options.blockSize)
        header = try CSVHeader.read(from: reader)
        lonIndex = try header.require(options.lonColumn)
        latIndex = try header.require(options.latColumn)
        let header = self.header
        crsIndex = try options.crsColumn.map { try header.require($0) }
        defaultCRS = options.crs
        self.target = target
        chunkRows = max(1, options.chunkRows)
        transforms[defaultCRS] = try CoordinateTransform(from: defaultCRS, to: target)
    }

    /// Reads and prepares the next chunk; `nil` at the end of the file.
    func next() throws -> ParsedPointChunk? {
        guard let chunk = try reader.readChunk(maxRecords: chunkRows) else { return nil }
        let n = chunk.count
        var xs = [Double](repeating: .nan, count: n), ys = [Double](repeating: .nan, count: n)
        var rejects: [Int: GeocodeReject] = [:]
        var rowCRS = [CRS?](repeating: nil, count: crsIndex == nil ? 0 : n)
        let columns = header.count
        chunk.bytes.withUnsafeBufferPointer { bytes in
            for r in 0 ..< n {
                if let issue = chunk.issue(r) {
                    rejects[r] = GeocodeReject(reason: GeocodeRejectReason(issue), detail: issue.description)
                    continue
                }
                let fields = chunk.fieldCount(r)
                guard fields == columns else {
                    var detail = "\(fields) fields, the header has \(columns)"
                    if fields > columns {
                        detail += "; extra: " + (columns ..< fields).map { chunk.string(r, $0) }.joined(separator: " | ")
                    }
                    rejects[r] = GeocodeReject(reason: .columnCount, detail: detail)
                    continue
                }
                var crs = defaultCRS
                if let c = crsIndex {
                    switch resolveCRS(chunk, r, c) {
                    case .success(let value): crs = value
                    case .failure(let reject): rejects[r] = reject; continue
                    }
                    rowCRS[r] = crs
                }
                let x: Double, y: Double
                switch CoordinateFieldParser.parse(bytes, chunk.fieldRange(r, lonIndex)) {
                case .success(let v): x = v
                case .failure(var reject):
                    reject.detail = "\(header.names[lonIndex]) " + reject.detail
                    rejects[r] = reject
                    continue
                }
                switch CoordinateFieldParser.parse(bytes, chunk.fieldRange(r, latIndex)) {
                case .success(let v): y = v
                case .failure(var reject):
                    reject.detail = "\(header.names[latIndex]) " + reject.detail
                    rejects[r] = reject
                    continue
                }
                if crs.isGeographicDegrees {
                    if !(-180 ... 180).contains(x) {
                        rejects[r] = GeocodeReject(reason: .outOfRange, detail: "\(header.names[lonIndex]) \(x) is outside -180…180")
                        continue
                    }
                    if !(-90 ... 90).contains(y) {
                        rejects[r] = GeocodeReject(reason: .outOfRange, detail: "\(header.names[latIndex]) \(y) is outside -90…90")
                        continue
                    }
                }
                xs[r] = x
                ys[r] = y
            }
        }
        try convert(&xs, &ys, rowCRS: rowCRS, rejects: &rejects)
        return ParsedPointChunk(chunk: chunk, xs: xs, ys: ys, rejects: rejects)
    }

    /// The CRS named in field `c` of record `r` (empty: the default CRS).
    private func resolveCRS(_ chunk: CSVChunk, _ r: Int, _ c: Int) -> Result<CRS, GeocodeReject> {
        let name = chunk.string(r, c)
        if name.isEmpty { return .success(defaultCRS) }
        if let known = crsByName[name] { return known }
        let result: Result<CRS, GeocodeReject>
        if let crs = CRS(name: name) {
            if transforms[crs] == nil {
                do {
                    transforms[crs] = try CoordinateTransform(from: crs, to: target)
                    result = .success(crs)
                } catch {
                    result = .failure(GeocodeReject(reason: .unknownCRS, detail: "\(header.names[c]) \"\(name)\": \(error)"))
                }
            } else {
                result = .success(crs)
            }
        } else {
            result = .failure(GeocodeReject(reason: .unknownCRS, detail: "\(header.names[c]) \"\(name)\" is not a known CRS"))
        }
        crsByName[name] = result
        return result
    }

    /// Converts every accepted position to the target CRS, grouped by CRS; positions the
    /// conversion refuses become rejects.
    private func convert(_ xs: inout [Double], _ ys: inout [Double], rowCRS: [CRS?],
                         rejects: inout [Int: GeocodeReject]) throws {
        let n = xs.count
        if rowCRS.isEmpty {
            guard let t = transforms[defaultCRS], !t.isIdentity else { return }
            let rows = (0 ..< n).filter { xs[$0].isFinite }
            try convertRows(rows, t, &xs, &ys, &rejects)
            return
        }
        var groups: [CRS: [Int]] = [:]
        for r in 0 ..< n where xs[r].isFinite { groups[rowCRS[r] ?? defaultCRS, default: []].append(r) }
        for (crs, rows) in groups {
            guard let t = transforms[crs], !t.isIdentity else { continue }
            try convertRows(rows, t, &xs, &ys, &rejects)
        }
    }

    private func convertRows(_ rows: [Int], _ t: CoordinateTransform, _ xs: inout [Double], _ ys: inout [Double],
                             _ rejects: inout [Int: GeocodeReject]) throws {
        var gx = rows.map { xs[$0] }, gy = rows.map { ys[$0] }
        do {
            try t.transform(xs: &gx, ys: &gy)
        } catch {
            // Some position is outside what the conversion takes: convert one by one.
            for (k, r) in rows.enumerated() {
                do {
                    let c = try t.transform(Coordinate(xs[r], ys[r]))
                    gx[k] = c.x
                    gy[k] = c.y
                } catch {
                    gx[k] = .nan
                    gy[k] = .nan
                    rejects[r] = GeocodeReject(reason: .crsConversion, detail: "\(error)")
                }
            }
        }
        for (k, r) in rows.enumerated() {
            if !(gx[k].isFinite && gy[k].isFinite), rejects[r] == nil {
                rejects[r] = GeocodeReject(reason: .crsConversion,
                                           detail: "(\(xs[r]), \(ys[r])) has no finite position in \(t.target)")
                gx[k] = .nan
                gy[k] = .nan
            }
            xs[r] = gx[k]
            ys[r] = gy[k]
        }
    }
}

/// A chunk being prepared on another thread (so parsing chunk N + 1 overlaps locating and
/// writing chunk N).
final class PendingPointChunk: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<ParsedPointChunk?, any Error> = .success(nil)

    /// Starts `source.next()` on a global queue. The caller must not use `source` until ``get()``.
    init(_ source: CSVPointSource) {
        DispatchQueue.global().async {
            self.result = Result { try source.next() }
            self.done.signal()
        }
    }

    /// Waits for the chunk.
    func get() throws -> ParsedPointChunk? {
        done.wait()
        return try result.get()
    }
}
