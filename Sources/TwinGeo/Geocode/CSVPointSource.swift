import Dispatch

/// The rows `lo ..< hi` of a chunk as one worker sees them: positions (in the pipeline's target
/// CRS; NaN for rejected rows), times, and the rejects. Index arrays with `r - lo`.
struct PointRows {
    let lo: Int
    let hi: Int
    var xs: [Double]
    var ys: [Double]
    /// Per row, seconds since 1970-01-01T00:00:00Z (``GeocodeOptions/timeColumn``); empty
    /// without a time column.
    var times: [Double]
    /// Per row, whether it is rejected (the formatting loop tests this, not the dictionary).
    var rejected: [Bool]
    /// The rejected rows (chunk indexes) and why.
    var rejects: [Int: GeocodeReject] = [:]
    /// The rows placed by their address (chunk indexes) and the match (``AddressColumnResolver``).
    var addressMatches: [Int: AddressMatch] = [:]

    init(_ lo: Int, _ hi: Int, timed: Bool) {
        self.lo = lo
        self.hi = hi
        xs = [Double](repeating: .nan, count: hi - lo)
        ys = xs
        times = timed ? xs : []
        rejected = [Bool](repeating: false, count: hi - lo)
    }

    /// Whether chunk row `r` is rejected.
    @inline(__always) func isRejected(_ r: Int) -> Bool { rejected[r &- lo] }

    /// Rejects chunk row `r` (its position becomes NaN, so later steps skip it).
    mutating func reject(_ r: Int, _ reject: GeocodeReject) {
        rejects[r] = reject
        rejected[r - lo] = true
        xs[r - lo] = .nan
        ys[r - lo] = .nan
    }
}

/// Supplies the positions of rows: the seam between reading a CSV and locating it.
///
/// ``CoordinateColumns`` reads lon/lat (and a per-row CRS) columns. Another source of positions
/// — an address resolver for rows that carry an address instead of coordinates — conforms the
/// same way: it is given a worker's rows after the structural checks (malformed records and
/// wrong field counts are already rejected), sets `xs`/`ys` in the pipeline's target CRS for
/// the rows it can place and rejects the others with a reason; reading, time, locating,
/// formatting, the rejects file and the counts stay as they are.
///
/// The pipeline makes one resolver per worker (``CSVPointPipeline`` runs them on every core), so
/// a resolver may keep caches without locks; a worker's resolver is used by one thread at a time.
protocol CSVPointResolver: AnyObject {
    /// Places or rejects every row of `rows` that is not rejected yet.
    ///
    /// - Throws: only for failures that stop the run; a row that cannot be placed is a reject.
    func resolve(_ view: CSVChunkView, _ rows: inout PointRows) throws
}

/// The first pipeline stage: reads chunks of records (tokenizing only, so this one serial
/// stage stays short; the checks run in the workers).
///
/// Used by one thread at a time (the pipeline hands it from chunk to chunk), hence `@unchecked`.
final class CSVChunkSource: @unchecked Sendable {
    let reader: CSVReader
    let header: CSVHeader
    let chunkRows: Int

    /// Opens the input and reads the header.
    ///
    /// - Throws: `IOFileError` for an unreadable input; `FormatError` for an empty file or a
    ///   malformed header.
    init(path: String, options: GeocodeOptions) throws {
        reader = try CSVReader(path: path, delimiter: options.delimiter, blockSize: options.blockSize)
        header = try CSVHeader.read(from: reader)
        reader.checksUTF8 = false
        chunkRows = max(1, options.chunkRows)
    }

    /// The next chunk and the input bytes read so far; `nil` at the end of the file.
    func next() throws -> (chunk: CSVChunk, bytesRead: Int)? {
        guard let chunk = try reader.readChunk(maxRecords: chunkRows) else { return nil }
        return (chunk, reader.bytesRead)
    }
}

/// A chunk being read on another thread (so reading chunk N + 1 overlaps processing chunk N).
final class PendingChunk: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<(chunk: CSVChunk, bytesRead: Int)?, any Error> = .success(nil)

    /// Starts `source.next()` on a global queue. The caller must not use `source` until ``get()``.
    init(_ source: CSVChunkSource) {
        DispatchQueue.global().async {
            self.result = Result { try source.next() }
            self.done.signal()
        }
    }

    /// Waits for the chunk.
    func get() throws -> (chunk: CSVChunk, bytesRead: Int)? {
        done.wait()
        return try result.get()
    }
}

/// Positions from longitude and latitude columns, each row in the default CRS or the one its
/// CRS column names, parsed strictly (``CoordinateFieldParser``), range-checked for degree CRSs
/// and converted to the target CRS grouped by CRS.
final class CoordinateColumns: CSVPointResolver {
    let header: CSVHeader
    let lonIndex: Int, latIndex: Int
    let crsIndex: Int?
    let target: CRS
    /// Slot 0 is the default CRS; a CRS column adds slots as names appear.
    private var crsList: [CRS]
    private var transforms: [CoordinateTransform]
    /// CRS field bytes → slot (≥ 0) or −1 − (index in `refusals`).
    private var crsByName = ByteKeyTable<Int>()
    private var refusals: [GeocodeReject] = []

    /// - Throws: `FormatError` for a missing column; `CRSError` when the default CRS cannot be
    ///   converted to `target`.
    init(header: CSVHeader, options: GeocodeOptions, target: CRS) throws {
        self.header = header
        lonIndex = try header.require(options.lonColumn)
        latIndex = try header.require(options.latColumn)
        crsIndex = try options.crsColumn.map { try header.require($0) }
        self.target = target
        crsList = [options.crs]
        transforms = [try CoordinateTransform(from: options.crs, to: target)]
        crsByName.set("", 0)
    }

    func resolve(_ view: CSVChunkView, _ rows: inout PointRows) throws {
        let lo = rows.lo
        var slots = [Int32](repeating: 0, count: crsIndex == nil ? 0 : rows.hi - lo)
        var refused: [(Int, GeocodeReject)] = []
        for r in lo ..< rows.hi where !rows.isRejected(r) {
            var slot = 0
            if let c = crsIndex {
                slot = self.slot(view.field(r, c), column: c)
                if slot < 0 {
                    refused.append((r, refusals[-1 - slot]))
                    continue
                }
                slots[r - lo] = Int32(slot)
            }
            let x: Double, y: Double
            switch CoordinateFieldParser.parse(view.bytes, view.fieldRange(r, lonIndex)) {
            case .success(let v): x = v
            case .failure(var reject):
                reject.detail = "\(header.names[lonIndex]) " + reject.detail
                refused.append((r, reject))
                continue
            }
            switch CoordinateFieldParser.parse(view.bytes, view.fieldRange(r, latIndex)) {
            case .success(let v): y = v
            case .failure(var reject):
                reject.detail = "\(header.names[latIndex]) " + reject.detail
                refused.append((r, reject))
                continue
            }
            if crsList[slot].isGeographicDegrees {
                if !(-180 ... 180).contains(x) {
                    refused.append((r, GeocodeReject(reason: .outOfRange, detail: "\(header.names[lonIndex]) \(x) is outside -180…180")))
                    continue
                }
                if !(-90 ... 90).contains(y) {
                    refused.append((r, GeocodeReject(reason: .outOfRange, detail: "\(header.names[latIndex]) \(y) is outside -90…90")))
                    continue
                }
            }
            rows.xs[r - lo] = x
            rows.ys[r - lo] = y
        }
        for (r, reject) in refused { rows.reject(r, reject) }
        try convert(&rows, slots: slots)
    }

    /// The CRS slot of a CRS field (empty: the default), or −1 − the refusal's index.
    private func slot(_ name: UnsafeBufferPointer<UInt8>, column c: Int) -> Int {
        if let known = crsByName.value(for: name) { return known }
        let text = String(decoding: name, as: UTF8.self)
        let result: Int
        if let crs = CRS(name: text) {
            if let existing = crsList.firstIndex(of: crs) {
                result = existing
            } else {
                do {
                    transforms.append(try CoordinateTransform(from: crs, to: target))
                    crsList.append(crs)
                    result = crsList.count - 1
                } catch {
                    refusals.append(GeocodeReject(reason: .unknownCRS, detail: "\(header.names[c]) \"\(text)\": \(error)"))
                    result = -refusals.count
                }
            }
        } else {
            refusals.append(GeocodeReject(reason: .unknownCRS, detail: "\(header.names[c]) \"\(text)\" is not a known CRS"))
            result = -refusals.count
        }
        crsByName.set(name, result)
        return result
    }

    /// Converts every accepted position to the target CRS, grouped by CRS; positions the
    /// conversion refuses become rejects.
    private func convert(_ rows: inout PointRows, slots: [Int32]) throws {
        let m = rows.hi - rows.lo
        for (slot, t) in transforms.enumerated() where !t.isIdentity {
            let picked = slots.isEmpty
                ? (0 ..< m).filter { !rows.rejected[$0] }
                : (0 ..< m).filter { !rows.rejected[$0] && slots[$0] == Int32(slot) }
            if !picked.isEmpty { try convertRows(picked, t, &rows) }
        }
    }

    /// Converts the rows at offsets `picked` (from `rows.lo`) with `t`.
    private func convertRows(_ picked: [Int], _ t: CoordinateTransform, _ rows: inout PointRows) throws {
        var gx = picked.map { rows.xs[$0] }, gy = picked.map { rows.ys[$0] }
        var refused: [Int: GeocodeReject] = [:]
        do {
            try t.transform(xs: &gx, ys: &gy)
        } catch {
            // Some position is outside what the conversion takes: convert one by one.
            for (k, i) in picked.enumerated() {
                do {
                    let c = try t.transform(Coordinate(rows.xs[i], rows.ys[i]))
                    gx[k] = c.x
                    gy[k] = c.y
                } catch {
                    gx[k] = .nan
                    gy[k] = .nan
                    refused[i] = GeocodeReject(reason: .crsConversion, detail: "\(error)")
                }
            }
        }
        for (k, i) in picked.enumerated() {
            if let reject = refused[i] {
                rows.reject(rows.lo + i, reject)
            } else if !(gx[k].isFinite && gy[k].isFinite) {
                rows.reject(rows.lo + i, GeocodeReject(reason: .crsConversion,
                                                      detail: "(\(rows.xs[i]), \(rows.ys[i])) has no finite position in \(t.target)"))
            } else {
                rows.xs[i] = gx[k]
                rows.ys[i] = gy[k]
            }
        }
    }
}
