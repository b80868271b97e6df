import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Synchronization

/// The twin the server answers from, swapped atomically on reload.
///
/// Readers take the current ``TwinSnapshot`` (a reference, under a `Mutex` held for one
/// retain) and answer entirely from it; a reload builds the next snapshot on a dedicated
/// dispatch queue, off Swift's cooperative pool (a full-scale load is seconds of CPU and I/O
/// that would otherwise stall request handling on a 2-core machine), then swaps the reference.
/// Requests in flight keep the old snapshot alive until they finish; none fails during a swap.
/// Reloads are serialised by that queue: two admin calls load twice, one after the other.
final class TwinHolder: Sendable {
    private struct State {
        var current: TwinSnapshot
        var generations: Int
        var lastError: String?
    }

    /// The file reloads read (the path the server was started with).
    let path: String
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "twingeo.dispatch-server.reload", qos: .utility)
    private let logger: Logger

    /// Loads the first snapshot (synchronously: the server does not start without a twin).
    ///
    /// - Throws: what ``TwinSnapshot/init(path:generation:)`` throws.
    init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        let first = try TwinSnapshot(path: path, generation: 1)
        state = Mutex(State(current: first, generations: 1, lastError: nil))
    }

    /// The snapshot to answer a request from.
    var current: TwinSnapshot { state.withLock { $0.current } }

    /// The message of the last failed reload, if the last reload failed.
    var lastReloadError: String? { state.withLock { $0.lastError } }

    /// What a reload did.
    struct ReloadResult: Sendable {
        var previous: Int
        var generation: Int
        var seconds: Double
    }

    /// Reads the twin file again and, when it loads, makes it the current snapshot.
    ///
    /// - Returns: the generations before and after, and the load time.
    /// - Throws: the load error; the current snapshot stays in place then.
    func reload() async throws -> ReloadResult {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ReloadResult, any Error>) in
            queue.async { [self] in
                continuation.resume(with: Result { try reloadNow() })
            }
        }
    }

    /// The reload itself, on ``queue``.
    private func reloadNow() throws -> ReloadResult {
        let start = DispatchTime.now().uptimeNanoseconds
        let generation = state.withLock { $0.generations += 1; return $0.generations }
        logger.info("reloading the twin", metadata: ["path": "\(path)", "generation": "\(generation)"])
        let next: TwinSnapshot
        do {
            next = try TwinSnapshot(path: path, generation: generation)
        } catch {
            state.withLock { $0.lastError = "\(error)" }
            logger.error("reload failed; still serving the previous twin", metadata: ["path": "\(path)", "error": "\(error)"])
            throw error
        }
        let previous = state.withLock { s in
            let old = s.current.generation
            s.current = next
            s.lastError = nil
            return old
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        logger.info("twin reloaded", metadata: ["path": "\(path)", "generation": "\(generation)", "previous": "\(previous)",
                                              "seconds": "\(seconds)"])
        return ReloadResult(previous: previous, generation: generation, seconds: seconds)
    }
}
