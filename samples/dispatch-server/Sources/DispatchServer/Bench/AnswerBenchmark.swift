#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import TwinGeo
import TwinIndex
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Times the answers without HTTP: the same bodies the load test sends, through the same code
/// the routes run (``EventAnswers``), on one thread. Beside the load test's requests per second
/// it tells how much of a request is the answer and how much the HTTP stack. Times are the
/// thread's CPU time (the machines are shared virtual ones: wall time includes other tenants).
public enum AnswerBenchmark {
    /// What one run measured.
    public struct Report: Sendable, CustomStringConvertible {
        public var events: Int
        /// Nanoseconds per single-event body (parse, assign, write).
        public var singleNanoseconds: Double
        /// Nanoseconds per event in batches of ``batchSize``.
        public var batchNanosecondsPerEvent: Double
        public var batchSize: Int
        /// Answer bytes per single event.
        public var bytesPerAnswer: Double
        /// "Which cameras see the point" per event: the catalog's coverage R-tree, and the snapshot's grid.
        public var camerasRTreeNanoseconds: Double
        public var camerasGridNanoseconds: Double

        public var description: String {
            func f(_ v: Double) -> String { String(Int(v.rounded())) }
            return "single: \(f(singleNanoseconds)) ns/event (\(f(1e9 / singleNanoseconds)) events/s on one thread), "
                + "\(f(bytesPerAnswer)) bytes/answer; batches of \(batchSize): \(f(batchNanosecondsPerEvent)) ns/event "
                + "(\(f(1e9 / batchNanosecondsPerEvent)) events/s on one thread); cameras seeing a point: "
                + "grid \(f(camerasGridNanoseconds)) ns, R-tree \(f(camerasRTreeNanoseconds)) ns "
                + "(\(String(format: "%.2f", camerasRTreeNanoseconds / camerasGridNanoseconds))×)"
        }
    }

    /// Runs `bodies` (JSON event objects) one by one, then in batches of `batchSize`, `rounds` times
    /// each, against `configuration`'s twin with its answer limits; reports the best round.
    ///
    /// - Throws: what loading the twin throws; ``APIError`` if a body is refused (the bodies are the caller's sample).
    /// `fields` is the `?fields=` list (`nil`: the whole answer).
    public static func run(configuration: ServerConfiguration, bodies: [String], batchSize: Int, rounds: Int = 3,
                           fields: String? = nil) throws -> Report {
        let snapshot = try TwinSnapshot(path: configuration.twinPath, generation: 1)
        var options = configuration.assignmentOptions
        if let fields { options.fields = try AnswerFields.parse(Substring(fields)) }
        let singles = bodies.map { ByteBuffer(string: $0) }
        let batches = stride(from: 0, to: bodies.count, by: batchSize).map { start in
            ByteBuffer(string: "[" + bodies[start ..< min(start + batchSize, bodies.count)].joined(separator: ",") + "]")
        }
        var tally = EventTally(layers: snapshot.twin.layers.count)
        var bytes = 0
        var bestSingle = Double.infinity, bestBatch = Double.infinity
        for _ in 0 ..< rounds {
            let t0 = cpuNanoseconds()
            bytes = 0
            for body in singles {
                bytes += try EventAnswers.single(body, snapshot: snapshot, options: options, tally: &tally).readableBytes
            }
            let t1 = cpuNanoseconds()
            for body in batches {
                _ = try EventAnswers.batch(body, framing: .jsonArray, limit: batchSize, snapshot: snapshot, options: options,
                                           tally: &tally)
            }
            let t2 = cpuNanoseconds()
            bestSingle = min(bestSingle, Double(t1 - t0) / Double(singles.count))
            bestBatch = min(bestBatch, Double(t2 - t1) / Double(bodies.count))
        }
        let (tree, grid) = try cameraQueries(snapshot, bodies: singles, rounds: rounds)
        return Report(events: bodies.count, singleNanoseconds: bestSingle, batchNanosecondsPerEvent: bestBatch,
                      batchSize: batchSize, bytesPerAnswer: Double(bytes) / Double(singles.count),
                      camerasRTreeNanoseconds: tree, camerasGridNanoseconds: grid)
    }

    /// The camera query alone, both ways, alternating rounds (best of each) on the events' points.
    ///
    /// - Throws: ``APIError`` when the two disagree on a point (they must not).
    static func cameraQueries(_ snapshot: TwinSnapshot, bodies: [ByteBuffer], rounds: Int) throws -> (tree: Double, grid: Double) {
        guard snapshot.hasAssets, let toMetric = snapshot.toMetric else { return (.nan, .nan) }
        var xs: [Double] = [], ys: [Double] = []
        for body in bodies {
            if case .success(let e)? = try? EventBody.single(body), e.crs == .wgs84, let p = try? toMetric.transform(Coordinate(e.lon, e.lat)) {
                xs.append(p.x); ys.append(p.y)
            }
        }
        guard !xs.isEmpty else { return (.nan, .nan) }
        let scratch = RTreeSearchScratch()
        var a: [RTreeNeighbor] = [], b: [RTreeNeighbor] = []
        var bestTree = Double.infinity, bestGrid = Double.infinity, found = 0
        for _ in 0 ..< rounds {
            let t0 = cpuNanoseconds()
            for k in xs.indices { snapshot.catalog.camerasSeeing(x: xs[k], y: ys[k], into: &a, scratch: scratch); found &+= a.count }
            let t1 = cpuNanoseconds()
            for k in xs.indices { snapshot.cameraGrid.camerasSeeing(x: xs[k], y: ys[k], into: &b); found &-= b.count }
            let t2 = cpuNanoseconds()
            bestTree = min(bestTree, Double(t1 - t0) / Double(xs.count))
            bestGrid = min(bestGrid, Double(t2 - t1) / Double(xs.count))
        }
        guard found == 0 else { throw APIError(.internalServerError, "the camera grid and the R-tree disagree") }
        return (bestTree, bestGrid)
    }

    /// This thread's CPU time, nanoseconds.
    static func cpuNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
