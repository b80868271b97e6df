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

/// What the second stage does with a chunk of converted positions: the geocoder locates them and
/// appends cell columns; the transformer rewrites the coordinate columns.
protocol CSVPointStage: Sendable {
    /// Per-chunk results shared by the formatting slices.
    associatedtype Batch: Sendable
    /// The output header.
    func outputColumns(_ header: CSVHeader) -> [String]
    /// Work over the whole chunk before formatting (locating every point).
    func prepare(_ chunk: ParsedPointChunk) throws -> Batch
    /// Appends the output record for accepted row `r` (CRLF-terminated); returns whether the row
    /// lies outside every cell.
    func appendRow(_ chunk: ParsedPointChunk, _ view: CSVChunkView, _ r: Int, _ batch: Batch, to out: inout [UInt8]) -> Bool
    /// Frees what ``prepare(_:)`` allocated, once the chunk is written.
    func release(_ batch: Batch)
}

/// The streaming run shared by ``BatchGeocoder`` and ``BatchCoordinateTransformer``.
///
/// Stage 1 (``CSVPointSource``) reads, parses and converts chunk N + 1 on another thread while
/// stage 2 prepares chunk N (locating it over every core), formats its output and rejects in
/// parallel slices, and writes them in input order.
enum CSVPointPipeline {
    static func run<Stage: CSVPointStage>(input: String, output: String, rejects: String, otherInputs: [String],
                                          options: GeocodeOptions, target: CRS, stage: Stage,
                                          progress: ((GeocodeProgress) -> Void)?) throws -> GeocodeSummary {
        let start = DispatchTime.now().uptimeNanoseconds
        try GeocodePaths.checkDistinct(input: input, output: output, rejects: rejects, otherInputs: otherInputs)
        let source = try CSVPointSource(path: input, options: options, target: target)
        let header = source.header
        let outColumns = stage.outputColumns(header)
        let out = try CSVWriter(path: output, delimiter: options.delimiter)
        let rej = try CSVWriter(path: rejects, delimiter: options.delimiter)
        try out.writeRecord(outColumns)
        try rej.writeRecord(header.names + ["line", "reason", "detail"])

        var summary = GeocodeSummary()
        summary.outputColumns = outColumns
        var lastReport = 0
        var pending = PendingPointChunk(source)
        while let parsed = try pending.get() {
            pending = PendingPointChunk(source)
            let batch = try stage.prepare(parsed)
            let slices = format(parsed, batch, stage, header: header, delimiter: options.delimiter,
                                concurrent: options.concurrent)
            stage.release(batch)
            for slice in slices {
                try out.writeEncoded(slice.out)
                try rej.writeEncoded(slice.rejects)
                summary.rowsOut += slice.rowsOut
                summary.rowsOutside += slice.outside
            }
            summary.rowsIn += parsed.chunk.count
            summary.rowsRejected += parsed.rejects.count
            for reject in parsed.rejects.values { summary.reasons[reject.reason.rawValue, default: 0] += 1 }
            if let progress, summary.rowsIn - lastReport >= 1 {
                lastReport = summary.rowsIn
                progress(GeocodeProgress(rowsIn: summary.rowsIn, rowsOut: summary.rowsOut, rowsRejected: summary.rowsRejected,
                                         bytesRead: source.reader.bytesRead, seconds: seconds(since: start)))
            }
        }
        try out.close()
        try rej.close()
        summary.seconds = seconds(since: start)
        return summary
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The formatted bytes of one slice of a chunk.
    final class Slice: @unchecked Sendable {
        var out: [UInt8] = []
        var rejects: [UInt8] = []
        var rowsOut = 0
        var outside = 0
    }

    /// Formats the chunk's output and reject records, in slices over every core, in input order.
    private static func format<Stage: CSVPointStage>(_ parsed: ParsedPointChunk, _ batch: Stage.Batch, _ stage: Stage,
                                                     header: CSVHeader, delimiter: UInt8, concurrent: Bool) -> [Slice] {
        let n = parsed.chunk.count
        let parts = concurrent ? max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, n / 1024)) : 1
        let slices = (0 ..< parts).map { _ in Slice() }
        parsed.chunk.withView { view in
            nonisolated(unsafe) let view = view
            let work: @Sendable (Int) -> Void = { part in
                let slice = slices[part]
                let lo = part * n / parts, hi = (part + 1) * n / parts
                slice.out.reserveCapacity((parsed.chunk.bytes.count / max(n, 1) + 96) * (hi - lo))
                for r in lo ..< hi {
                    if let reject = parsed.rejects[r] {
                        appendReject(parsed.chunk, view, r, reject, columns: header.count, delimiter: delimiter,
                                     to: &slice.rejects)
                    } else {
                        if stage.appendRow(parsed, view, r, batch, to: &slice.out) { slice.outside += 1 }
                        slice.rowsOut += 1
                    }
                }
            }
            if parts > 1 {
                DispatchQueue.concurrentPerform(iterations: parts, execute: work)
            } else {
                work(0)
            }
        }
        return slices
    }

    /// A rejects record: the row's fields padded (or cut) to the header's columns, then `line`,
    /// `reason` and `detail` (which lists any surplus fields).
    private static func appendReject(_ chunk: CSVChunk, _ view: CSVChunkView, _ r: Int,
                                     _ reject: GeocodeReject, columns: Int, delimiter: UInt8, to out: inout [UInt8]) {
        let fields = chunk.fieldCount(r)
        for i in 0 ..< columns {
            if i > 0 { out.append(delimiter) }
            if i < fields { CSVEncoding.appendField(view.field(r, i), delimiter: delimiter, to: &out) }
        }
        for text in ["\(chunk.line(r))", reject.reason.rawValue, reject.detail] {
            out.append(delimiter)
            CSVEncoding.appendField(text.utf8, delimiter: delimiter, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// Appends the input fields of record `r` (quoted where needed), without a line end.
    @inline(__always)
    static func appendInputFields(_ view: CSVChunkView, _ r: Int, delimiter: UInt8, to out: inout [UInt8]) {
        for i in 0 ..< view.fieldCount(r) {
            if i > 0 { out.append(delimiter) }
            CSVEncoding.appendField(view.field(r, i), delimiter: delimiter, to: &out)
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
