import Dispatch

/// Writes formatted chunks on a thread of its own, in order, so writing chunk N (a system call
/// copying hundreds of megabytes into the page cache) overlaps formatting chunk N + 1.
///
/// At most `depth` chunks wait in memory; ``enqueue(_:)`` blocks beyond that. The first write
/// error is kept and thrown by the next ``enqueue(_:)`` or by ``finish()``.
final class CSVPipelineWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "twingeo.csv-pipeline-writer")
    private let room: DispatchSemaphore
    private let out: CSVWriter
    private let rejects: CSVWriter
    /// Guarded by `queue`.
    private var failure: (any Error)?

    init(out: CSVWriter, rejects: CSVWriter, depth: Int = 2) {
        self.out = out
        self.rejects = rejects
        room = DispatchSemaphore(value: depth)
    }

    /// Queues the slices of one chunk for writing, in order after the previous chunk.
    ///
    /// - Throws: the error of an earlier write (`IOFileError`).
    func enqueue(_ slices: [CSVPointPipeline.Slice]) throws {
        room.wait()
        if let failure = queue.sync(execute: { self.failure }) {
            room.signal()
            throw failure
        }
        queue.async {
            defer { self.room.signal() }
            guard self.failure == nil else { return }
            do {
                for slice in slices {
                    try self.out.writeEncoded(slice.out.bytes)
                    try self.rejects.writeEncoded(slice.rejects.bytes)
                }
            } catch {
                self.failure = error
            }
        }
    }

    /// Waits for every queued write.
    ///
    /// - Throws: the first write error.
    func finish() throws {
        if let failure = queue.sync(execute: { self.failure }) { throw failure }
    }
}
