#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Batch location into some of the layers: what a caller that needs only the police grid (or
/// the unit grid and the 居村) asks for, without paying for every layer's answers.
///
/// The engine is the one of ``cellIndexes(xs:ys:into:crs:at:)``: one exact locate per point in
/// the epoch's merged grid, then one table lookup per point and selected layer.
extension Twin {
    /// Locates every point in the selected layers, in the grid in force at `date`.
    ///
    /// - Parameters:
    ///   - selected: positions in ``layers`` (any order; a layer may repeat); `results[j]`
    ///     receives the answers of layer `selected[j]`.
    ///   - xs: longitudes (or eastings for a projected `crs`).
    ///   - ys: latitudes (or northings), as many as `xs`.
    ///   - results: one buffer per selected layer, each with as many slots as `xs`: the index in
    ///     that layer's ``TwinLayer/cells`` per point, or -1 (outside, non-finite, or a position
    ///     the CRS conversion cannot take).
    ///   - crs: the CRS of the positions.
    ///   - date: the instant whose grid answers; `nil` = the latest epoch.
    ///   - concurrently: split the work over every core (identical results).
    /// - Throws: ``TwinQueryError`` (`.notFound`) for a layer position out of range, (`.argument`)
    ///   when the number of buffers is not the number of selected layers, a count differs or the
    ///   date is outside years 1–9999 (nothing is written then); `CRSError` for an unknown CRS.
    /// - Complexity: O(n × (1 + selected layers)) expected.
    public func cellIndexes(layers selected: [Int], xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                            into results: [UnsafeMutableBufferPointer<Int32>], crs: CRS = .wgs84, at date: Date? = nil,
                            concurrently: Bool = true) throws {
        let sink = try selectionSink(selected, xs, ys, results, times: nil)
        try runBatch(xs, ys, crs: crs, date: date, concurrently: concurrently, sink: sink)
    }

    /// Locates every point in the selected layers, each in the grid in force at its own time.
    ///
    /// - Parameters:
    ///   - times: per point, seconds since 1970-01-01T00:00:00Z; a non-finite time or one
    ///     outside years 1–9999 gives -1 in every selected layer (an answer, not an error).
    ///   - Other parameters: as in ``cellIndexes(layers:xs:ys:into:crs:at:concurrently:)``.
    /// - Throws: as ``cellIndexes(layers:xs:ys:into:crs:at:concurrently:)``; `times` must have
    ///   as many values as `xs`.
    /// - Complexity: O(n × (log epochs + selected layers)) expected.
    public func cellIndexes(layers selected: [Int], xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                            times: UnsafeBufferPointer<Double>, into results: [UnsafeMutableBufferPointer<Int32>],
                            crs: CRS = .wgs84, concurrently: Bool = true) throws {
        let sink = try selectionSink(selected, xs, ys, results, times: times)
        try runBatch(xs, ys, crs: crs, date: nil, times: times.baseAddress, concurrently: concurrently, sink: sink)
    }

    /// Checks a selection against its buffers and turns it into the engine's sink.
    private func selectionSink(_ selected: [Int], _ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>,
                               _ results: [UnsafeMutableBufferPointer<Int32>], times: UnsafeBufferPointer<Double>?) throws -> BatchSink {
        if let bad = selected.first(where: { $0 < 0 || $0 >= layers.count }) {
            throw TwinQueryError(.notFound, "batch locate: layer \(bad) does not exist (the twin has \(layers.count) layers)")
        }
        guard results.count == selected.count else {
            throw TwinQueryError(.argument, "batch locate: \(results.count) result buffers for \(selected.count) selected layers")
        }
        let n = xs.count
        guard ys.count == n, results.allSatisfy({ $0.count == n }), times.map({ $0.count == n }) ?? true else {
            throw TwinQueryError(.argument, "batch locate: \(n) x values, \(ys.count) y values"
                                 + (times.map { ", \($0.count) times" } ?? "")
                                 + " and result buffers of \(results.map { String($0.count) }.joined(separator: ", ")) slots;"
                                 + " the counts must be equal")
        }
        return .layers(zip(selected, results).map { ($0, $1.baseAddress) })
    }
}
