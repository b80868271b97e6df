import Dispatch

extension PartitionLocator {
    /// Locates every point `(xs[i], ys[i])` into `results[i]` (cell index, or -1 for none or a
    /// non-finite point), on the calling thread, by the boundary rule of ``PartitionLocator``.
    ///
    /// - Parameters:
    ///   - xs: The points' x values.
    ///   - ys: The points' y values; as many as `xs`.
    ///   - results: Caller-owned output; as many slots as `xs`.
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when the three counts differ;
    ///   nothing is written then.
    /// - Complexity: O(n) expected; no allocation.
    public func locate(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                       into results: UnsafeMutableBufferPointer<Int32>) throws(LocatorError) {
        guard xs.count == ys.count, xs.count == results.count else {
            throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: results.count)
        }
        guard let x = xs.baseAddress, let y = ys.baseAddress, let out = results.baseAddress else { return }
        storage.locateRange(x, y, out, 0 ..< xs.count)
    }

    /// Locates every point `(xs[i], ys[i])`; see the buffer-pointer `locate(xs:ys:into:)`.
    ///
    /// - Returns: One cell index (or -1) per point.
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when `xs` and `ys` differ in length.
    public func locate(xs: [Double], ys: [Double]) throws(LocatorError) -> [Int32] {
        guard xs.count == ys.count else { throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: xs.count) }
        return [Int32](unsafeUninitializedCapacity: xs.count) { out, initialized in
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    if let xp = x.baseAddress, let yp = y.baseAddress, let op = out.baseAddress {
                        storage.locateRange(xp, yp, op, 0 ..< x.count)
                    }
                }
            }
            initialized = xs.count
        }
    }

    /// Like the buffer-pointer `locate(xs:ys:into:)`, split over all cores with
    /// `DispatchQueue.concurrentPerform`. The results are identical to the serial call.
    ///
    /// Small batches (under 16,384 points) run on the calling thread.
    ///
    /// - Throws: ``LocatorError/batchSizeMismatch(xs:ys:results:)`` when the three counts differ.
    public func locateConcurrently(xs: UnsafeBufferPointer<Double>, ys: UnsafeBufferPointer<Double>,
                                   into results: UnsafeMutableBufferPointer<Int32>) throws(LocatorError) {
        guard xs.count == ys.count, xs.count == results.count else {
            throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: results.count)
        }
        guard let x = xs.baseAddress, let y = ys.baseAddress, let out = results.baseAddress else { return }
        storage.locateConcurrently(x, y, out, count: xs.count)
    }

    /// Like ``locate(xs:ys:)``, split over all cores; see the buffer-pointer
    /// `locateConcurrently(xs:ys:into:)`.
    public func locateConcurrently(xs: [Double], ys: [Double]) throws(LocatorError) -> [Int32] {
        guard xs.count == ys.count else { throw .batchSizeMismatch(xs: xs.count, ys: ys.count, results: xs.count) }
        return [Int32](unsafeUninitializedCapacity: xs.count) { out, initialized in
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    if let xp = x.baseAddress, let yp = y.baseAddress, let op = out.baseAddress {
                        storage.locateConcurrently(xp, yp, op, count: x.count)
                    }
                }
            }
            initialized = xs.count
        }
    }
}

extension PartitionLocatorStorage {
    /// Points per work item of a concurrent batch: large enough to amortise dispatch, small
    /// enough that the cores finish together.
    static let concurrentChunk = 16_384

    func locateRange(_ xs: UnsafePointer<Double>, _ ys: UnsafePointer<Double>,
                     _ out: UnsafeMutablePointer<Int32>, _ range: Range<Int>) {
        for i in range {
            out[i] = Int32(truncatingIfNeeded: locate(xs[i], ys[i]))
        }
    }

    func locateConcurrently(_ xs: UnsafePointer<Double>, _ ys: UnsafePointer<Double>,
                            _ out: UnsafeMutablePointer<Int32>, count: Int) {
        let chunk = Self.concurrentChunk
        guard count > chunk else { return locateRange(xs, ys, out, 0 ..< count) }
        let chunks = (count + chunk - 1) / chunk
        // Each work item writes a disjoint slice of `out`; the index itself is read-only.
        nonisolated(unsafe) let (x, y, o) = (xs, ys, out)
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            let start = k * chunk
            self.locateRange(x, y, o, start ..< min(count, start + chunk))
        }
    }
}
