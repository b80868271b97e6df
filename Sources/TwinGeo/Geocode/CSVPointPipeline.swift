#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// What a worker does with its rows once they are placed: the geocoder locates them and
/// appends cell columns; the transformer rewrites the coordinate columns.
protocol CSVPointStage: Sendable {
    /// A worker's results for its rows, shared by its formatting loop.
    associatedtype Batch
    /// The output header.
    func outputColumns(_ header: CSVHeader) -> [String]
    /// Work over a worker's rows before formatting (locating every accepted position).
    func prepare(_ rows: PointRows) throws -> Batch
    /// Appends the output record for accepted row `r` (CRLF-terminated); returns whether the row
    /// lies outside every cell.
    func appendRow(_ rows: PointRows, _ view: CSVChunkView, _ r: Int, _ batch: Batch, to out: CSVByteBuffer) -> Bool
    /// Frees what ``prepare(_:)`` allocated, once the rows are formatted.
    func release(_ batch: Batch)
    /// About how many bytes a row's output has beyond its input bytes (sizes the buffers).
    var rowBytesHint: Int { get }
}

/// The streaming run shared by ``BatchGeocoder`` and ``BatchCoordinateTransformer``: three kinds
/// of threads, so a 10 M-row file keeps both cores busy.
///
/// * The reader (``CSVChunkSource``, a thread of its own) tokenizes chunk N + 1: the one serial
///   step, kept to finding fields (a `memcpy` per ordinary record).
/// * The workers split chunk N into slices and, on every core, check each row (malformed
///   record, UTF-8, field count), place it (``CSVPointResolver``: strict numbers, CRS), read its
///   time, locate it, and format its output and reject records, in input order per slice.
/// * The writer (``CSVPipelineWriter``) writes chunk N − 1's slices in order.
enum CSVPointPipeline {
    /// - Parameters:
    ///   - makeResolver: the position source for the header, one per worker.
    ///   - timeColumn: the column parsed into ``PointRows/times``, or `nil`.
    static func run<Stage: CSVPointStage>(input: String, output: String, rejects: String, otherInputs: [String],
                                          options: GeocodeOptions, stage: Stage,
                                          makeResolver: (CSVHeader) throws -> any CSVPointResolver,
                                          progress: ((GeocodeProgress) -> Void)?) throws -> GeocodeSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        try GeocodePaths.checkDistinct(input: input, output: output, rejects: rejects, otherInputs: otherInputs)
        let source = try CSVChunkSource(path: input, options: options)
        let header = source.header
        let timeIndex = try options.timeColumn.map { try header.require($0) }
        let maxParts = options.concurrent ? ProcessInfo.processInfo.activeProcessorCount * 2 : 1
        let resolvers = try (0 ..< maxParts).map { _ in try makeResolver(header) }
        let outColumns = stage.outputColumns(header)
        let out = try CSVWriter(path: output, delimiter: options.delimiter)
        let rej = try CSVWriter(path: rejects, delimiter: options.delimiter)
        try out.writeRecord(outColumns)
        try rej.writeRecord(header.names + ["line", "reason", "detail"])
        let writer = CSVPipelineWriter(out: out, rejects: rej)

        var summary = GeocodeSummary()
        summary.outputColumns = outColumns
        var pending = PendingChunk(source)
        while let (chunk, bytesRead) = try pending.get() {
            pending = PendingChunk(source)
            let slices = try process(chunk, stage, resolvers: resolvers, header: header, timeIndex: timeIndex,
                                     delimiter: options.delimiter, concurrent: options.concurrent)
            try writer.enqueue(slices)
            summary.rowsIn += chunk.count
            for slice in slices {
                summary.rowsOut += slice.rowsOut
                summary.rowsOutside += slice.outside
                summary.rowsRejected += slice.rejected.count
                for reject in slice.rejected.values { summary.reasons[reject.reason.rawValue, default: 0] += 1 }
            }
            if let progress {
                progress(GeocodeProgress(rowsIn: summary.rowsIn, rowsOut: summary.rowsOut, rowsRejected: summary.rowsRejected,
                                         bytesRead: bytesRead, seconds: seconds(since: start)))
            }
        }
        try writer.finish()
        try out.close()
        try rej.close()
        summary.seconds = seconds(since: start)
        return summary
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// One worker's output: formatted records, rejects, counts.
    final class Slice: @unchecked Sendable {
        let out: CSVByteBuffer
        let rejects = CSVByteBuffer(capacity: 1024)
        var rowsOut = 0
        var outside = 0
        var rejected: [Int: GeocodeReject] = [:]
        var error: (any Error)?

        init(capacity: Int) { out = CSVByteBuffer(capacity: capacity) }
    }

    /// Processes one chunk in slices over every core; the slices are in input order.
    ///
    /// - Throws: the first error of a worker (a resolver or the locate).
    private static func process<Stage: CSVPointStage>(_ chunk: CSVChunk, _ stage: Stage, resolvers: [any CSVPointResolver],
                                                      header: CSVHeader, timeIndex: Int?, delimiter: UInt8,
                                                      concurrent: Bool) throws -> [Slice] {
        let n = chunk.count
        let parts = concurrent ? max(1, min(resolvers.count, n / 1024)) : 1
        // Room for the input bytes plus what the stage adds, so slices rarely grow.
        let perRow = chunk.bytes.count / max(n, 1) + stage.rowBytesHint
        let slices = (0 ..< parts).map { part in Slice(capacity: perRow * ((part + 1) * n / parts - part * n / parts) + 64) }
        chunk.withView { view in
            nonisolated(unsafe) let view = view
            nonisolated(unsafe) let resolvers = resolvers
            let work: @Sendable (Int) -> Void = { part in
                let slice = slices[part]
                do {
                    try processSlice(chunk, view, part * n / parts, (part + 1) * n / parts, stage, resolvers[part],
                                     header: header, timeIndex: timeIndex, delimiter: delimiter, into: slice)
                } catch {
                    slice.error = error
                }
            }
            if parts > 1 {
                DispatchQueue.concurrentPerform(iterations: parts, execute: work)
            } else {
                work(0)
            }
        }
        if let error = slices.lazy.compactMap(\.error).first { throw error }
        return slices
    }

    /// Checks, places, times, locates and formats rows `lo ..< hi`.
    private static func processSlice<Stage: CSVPointStage>(_ chunk: CSVChunk, _ view: CSVChunkView, _ lo: Int, _ hi: Int,
                                                           _ stage: Stage, _ resolver: any CSVPointResolver,
                                                           header: CSVHeader, timeIndex: Int?, delimiter: UInt8,
                                                           into slice: Slice) throws {
        var rows = PointRows(lo, hi, timed: timeIndex != nil)
        let columns = header.count
        // Malformed records first (sparse, so walked once rather than looked up per row).
        for (r, issue) in chunk.issues where r >= lo && r < hi {
            rows.reject(r, GeocodeReject(reason: GeocodeRejectReason(issue), detail: issue.description))
        }
        for r in lo ..< hi where !rows.isRejected(r) {
            if let issue = CSVReader.utf8Issue(view, r) {
                rows.reject(r, GeocodeReject(reason: GeocodeRejectReason(issue), detail: issue.description))
                continue
            }
            let fields = view.fieldCount(r)
            if fields != columns {
                var detail = "\(fields) fields, the header has \(columns)"
                if fields > columns {
                    detail += "; extra: " + (columns ..< fields).map { chunk.string(r, $0) }.joined(separator: " | ")
                }
                rows.reject(r, GeocodeReject(reason: .columnCount, detail: detail))
            }
        }
        try resolver.resolve(view, &rows)
        if let timeIndex {
            var refused: [(Int, GeocodeReject)] = []
            for r in lo ..< hi where !rows.isRejected(r) {
                switch EventTimeParser.parse(view.bytes, view.fieldRange(r, timeIndex)) {
                case .success(let t): rows.times[r - lo] = t
                case .failure(var reject):
                    reject.detail = "\(header.names[timeIndex]) " + reject.detail
                    refused.append((r, reject))
                }
            }
            for (r, reject) in refused { rows.reject(r, reject) }
        }
        let batch = try stage.prepare(rows)
        defer { stage.release(batch) }
        var rowsOut = 0, outside = 0
        for r in lo ..< hi {
            if rows.isRejected(r) {
                appendReject(chunk, view, r, rows.rejects[r]!, columns: columns, delimiter: delimiter, to: slice.rejects)
            } else {
                if stage.appendRow(rows, view, r, batch, to: slice.out) { outside += 1 }
                rowsOut += 1
            }
        }
        slice.rowsOut = rowsOut
        slice.outside = outside
        slice.rejected = rows.rejects
    }

    /// A rejects record: the row's fields padded (or cut) to the header's columns, then `line`,
    /// `reason` and `detail` (which lists any surplus fields).
    private static func appendReject(_ chunk: CSVChunk, _ view: CSVChunkView, _ r: Int,
                                     _ reject: GeocodeReject, columns: Int, delimiter: UInt8, to out: CSVByteBuffer) {
        let fields = chunk.fieldCount(r)
        var record: [UInt8] = []
        for i in 0 ..< columns {
            if i > 0 { record.append(delimiter) }
            if i < fields { CSVEncoding.appendField(view.field(r, i), delimiter: delimiter, to: &record) }
        }
        for text in ["\(chunk.line(r))", reject.reason.rawValue, reject.detail] {
            record.append(delimiter)
            CSVEncoding.appendField(text.utf8, delimiter: delimiter, to: &record)
        }
        record.append(0x0D)
        record.append(0x0A)
        out.append(record)
    }

    /// Appends the input fields of record `r` (quoted where needed), without a line end: one
    /// copy of the record's bytes when no field needs quotes (``CSVChunk/isPlain(_:)``).
    @inline(__always)
    static func appendInputFields(_ view: CSVChunkView, _ r: Int, delimiter: UInt8, to out: CSVByteBuffer) {
        if view.plain[r] {
            out.append(view.record(r))
            return
        }
        for i in 0 ..< view.fieldCount(r) {
            if i > 0 {
                out.reserve(1)
                out.put(delimiter)
            }
            out.appendField(view.field(r, i), delimiter: delimiter)
        }
    }
}

/// Output paths must not overwrite an input: the one path-identity rule for the engine and the CLI.
public enum GeocodePaths {
    /// The canonical form of `path`: `realpath` when it exists, else its directory's `realpath`
    /// plus its name, else the path as given.
    public static func canonical(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if let resolved = realpath(directory.isEmpty ? "/" : directory, nil) {
            defer { free(resolved) }
            return String(cString: resolved) + "/" + name
        }
        return path
    }

    /// - Throws: ``TwinQueryError`` (`.argument`) when the output or rejects path is an input
    ///   (the CSV or `otherInputs`, e.g. the twin) or when both outputs are the same file.
    /// True when `a` and `b` name the same file (after resolving links and relative parts).
    public static func same(_ a: String, _ b: String) -> Bool { canonical(a) == canonical(b) }

    static func checkDistinct(input: String, output: String, rejects: String, otherInputs: [String]) throws {
        let inputs = [input] + otherInputs
        let canonicalInputs = inputs.map(canonical)
        for (label, path) in [("output", output), ("rejects", rejects)] {
            let c = canonical(path)
            if let k = canonicalInputs.firstIndex(of: c) {
                throw TwinQueryError(.argument, "refusing to write the \(label) file \(path): it is the input \(inputs[k])")
            }
        }
        if canonical(output) == canonical(rejects) {
            throw TwinQueryError(.argument, "refusing to write the output and the rejects to the same file \(output)")
        }
    }
}
