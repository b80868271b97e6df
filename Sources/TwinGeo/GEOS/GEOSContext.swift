import CGEOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's GEOS context: one `GEOSContextHandle_t` per thread, created on first
/// use and finished (`GEOS_finish_r`) when the thread exits.
///
/// GEOS documents "There should be only one GEOSContextHandle_t per thread" and "Contexts must
/// only be used from a single thread at a time" (geos_c.h). A context per call would pay
/// `GEOS_init_r` every time; a shared one would race (shapely/shapely#2343 moved to thread-local
/// contexts for this reason). The context is therefore reached only through
/// ``GEOSContext/current``, and a `GEOSContext` never leaves the thread that created it: GEOS
/// handles made with it live inside one operation and are destroyed before the operation returns.
///
/// Error and notice messages are collected through GEOS's `userData` pointer into
/// ``lastError`` / ``lastNotice``; ``clearMessages()`` is called before each GEOS call whose
/// failure is reported, so a message never belongs to an earlier call.
final class GEOSContext {
    /// The reentrant handle; valid until `deinit`.
    let handle: GEOSContextHandle_t
    /// The last error GEOS reported on this context since ``clearMessages()``.
    fileprivate(set) var lastError: String?
    /// The last notice (warning) GEOS reported on this context since ``clearMessages()``.
    fileprivate(set) var lastNotice: String?

    private init?() {
        // GEOS_init_r returns NULL only when it cannot allocate the context.
        guard let handle = GEOS_init_r() else { return nil }
        self.handle = handle
        // userData is this object, unretained: the context owns the handle and finishes it in
        // deinit, so GEOS can never call back after the object is gone.
        let me = Unmanaged.passUnretained(self).toOpaque()
        // Both setters return the previous handler (NULL here); nothing to check.
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let context = Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue()
            context.lastError = message.map { String(cString: $0) } ?? "unknown GEOS error"
        }, me)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userData in
            guard let userData else { return }
            let context = Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue()
            context.lastNotice = message.map { String(cString: $0) }
        }, me)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// Forgets the messages of earlier calls.
    func clearMessages() {
        lastError = nil
        lastNotice = nil
    }

    /// The error for a failed GEOS call: `"<operation> failed: <GEOS message>"`.
    func error(_ operation: String) -> GeometryError {
        let detail = lastError ?? lastNotice ?? "GEOS reported no message"
        return GeometryError("GEOS \(operation) failed: \(detail)")
    }

    /// The calling thread's context, created on first use.
    ///
    /// - Throws: `GeometryError` if GEOS cannot allocate a context (out of memory).
    static func current() throws -> GEOSContext {
        let key = geosContextKey
        if let raw = pthread_getspecific(key) {
            return Unmanaged<GEOSContext>.fromOpaque(raw).takeUnretainedValue()
        }
        guard let context = GEOSContext() else {
            throw GeometryError("GEOS_init_r failed: cannot allocate a GEOS context")
        }
        // The thread-specific slot holds the only strong reference; the key's destructor
        // releases it when the thread exits.
        let raw = Unmanaged.passRetained(context).toOpaque()
        // pthread_setspecific returns 0 on success, ENOMEM/EINVAL otherwise.
        guard pthread_setspecific(key, raw) == 0 else {
            Unmanaged<GEOSContext>.fromOpaque(raw).release()
            throw GeometryError("pthread_setspecific failed: cannot keep a GEOS context for this thread")
        }
        return context
    }
}

/// The thread-specific slot of ``GEOSContext/current()``. Its destructor runs at thread exit
/// (for threads other than the main thread, whose context lives until the process ends).
private let geosContextKey: pthread_key_t = {
    var key = pthread_key_t()
    // pthread_key_create returns 0 on success; EAGAIN/ENOMEM mean the process is out of keys or
    // memory at start-up, which no caller could recover from.
    let status = pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<GEOSContext>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status)) for the GEOS context key")
    return key
}()
