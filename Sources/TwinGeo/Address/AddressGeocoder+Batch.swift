import Dispatch

extension AddressGeocoder {
    /// Addresses per work item of the batch forms: large enough that scheduling costs nothing
    /// next to the work (~20 µs per address), small enough to balance two to a few dozen cores.
    public static let batchChunk = 1_024

    /// Geocodes many addresses, on all cores.
    ///
    /// The result has one match per text, in the same order, exactly as ``geocode(_:)`` gives
    /// each: the outcome does not depend on the chunking or the number of threads. Made to be
    /// called per chunk of CSV rows (`twin-tool geocode --address-column`): each call is
    /// independent and allocates only its result.
    ///
    /// - Parameters:
    ///   - texts: the address texts.
    ///   - concurrently: spread the work over the cores (`false`: the calling thread only, e.g.
    ///     when the caller already runs one batch per core).
    /// - Returns: one match per text.
    /// - Complexity: O(total text length) / cores.
    public func geocode<Texts: RandomAccessCollection & Sendable>(batch texts: Texts, concurrently: Bool = true) -> [AddressMatch]
    where Texts.Element == String, Texts.Index == Int {
        let count = texts.count
        guard count > 0 else { return [] }
        let chunk = Self.batchChunk
        let chunks = (count + chunk - 1) / chunk
        let first = texts.startIndex
        return [AddressMatch](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Work items initialise disjoint slices of the result; the geocoder is immutable.
            nonisolated(unsafe) let base = buffer.baseAddress!
            let work: @Sendable (Int) -> Void = { k in
                let start = k * chunk, end = min(start + chunk, count)
                for i in start..<end { (base + i).initialize(to: self.geocode(texts[first + i])) }
            }
            if concurrently && chunks > 1 {
                DispatchQueue.concurrentPerform(iterations: chunks) { work($0) }
            } else {
                for k in 0..<chunks { work(k) }
            }
            initialized = count
        }
    }
}
