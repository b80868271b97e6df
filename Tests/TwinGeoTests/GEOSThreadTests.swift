import Foundation
import Testing
import TwinGeo

/// GEOS and PROJ from several threads at once give the same answers as one thread: each thread
/// has its own contexts and PROJ transformation cache.
@Suite struct GEOSThreadTests {
    /// A mix of GEOS and PROJ work whose results are compared bit for bit.
    static func work(_ seed: Int) throws -> [UInt64] {
        let s = Double(seed % 4)
        let bowTie = Geometry.polygon(Polygon(exterior: [
            Coordinate(s, 0), Coordinate(s + 1, 1), Coordinate(s + 1, 0), Coordinate(s, 1), Coordinate(s, 0),
        ]))
        var out: [Double] = []
        let fixed = try bowTie.makeValid()
        out.append(try fixed.planarArea())
        out.append(try bowTie.validity().location?.x ?? -1)
        let cell = Geometry.polygon(Polygon(exterior: [
            Coordinate(121.40, 31.20), Coordinate(121.41, 31.20), Coordinate(121.41, 31.21), Coordinate(121.40, 31.21), Coordinate(121.40, 31.20),
        ]))
        out.append(try cell.areaSquareMetres())
        out.append(try cell.buffer(metres: 50).areaSquareMetres())
        out.append(try cell.union(fixed).planarArea())
        for target in [CRS.epsg(4549), .epsg(32651), .epsg(3857), .bd09] {
            var xs = (0..<200).map { 121.0 + Double($0) * 0.005 }, ys = (0..<200).map { 31.0 + Double($0) * 0.004 }
            try CoordinateTransform(from: .gcj02, to: target).transform(xs: &xs, ys: &ys)
            out.append(contentsOf: xs)
            out.append(contentsOf: ys)
        }
        return out.map(\.bitPattern)
    }

    @Test func concurrentGEOSAndPROJMatchSerialResults() throws {
        let expected = try (0..<4).map(Self.work)
        let results = ResultBox(count: 16)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            results.set(i, Result { try Self.work(i) })
        }
        for i in 0..<16 {
            let got = try #require(results.get(i)).get()
            #expect(got == expected[i % 4], "iteration \(i) differs from the serial result")
        }
    }

    @Test func shortLivedThreadsEachWork() async throws {
        // Contexts are created on each new thread and freed when it exits (see the leak check).
        for _ in 0..<8 {
            let area = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Double, Error>) in
                Thread {
                    done.resume(with: Result {
                        try Geometry.polygon(Polygon(exterior: [Coordinate(121.4, 31.2), Coordinate(121.41, 31.2), Coordinate(121.41, 31.21), Coordinate(121.4, 31.2)]))
                            .areaSquareMetres()
                    })
                }.start()
            }
            #expect(area > 500_000 && area < 600_000)
        }
    }
}

/// Results written by concurrent iterations, read after they finish.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<[UInt64], Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<[UInt64], Error>) { lock.lock(); values[i] = value; lock.unlock() }
    func get(_ i: Int) -> Result<[UInt64], Error>? { lock.lock(); defer { lock.unlock() }; return values[i] }
}
