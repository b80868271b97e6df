#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's last error messages, behind `twin_errmsg`.
///
/// A twin is queried from many threads at once, so a message per handle would be overwritten by
/// another thread's failure before its own thread read it (SQLite's trap). Instead each thread
/// keeps two slots in POSIX thread-specific storage: the last failure of a call made on a handle
/// (with that handle), and the last failure of a call without one (`twin_open`, `twin_transform`,
/// or any call given a NULL handle). The strings are `malloc`ed and stay valid until the same
/// thread records another message in the same slot, or exits (the key's destructor frees them).
enum ThreadMessages {
    /// One thread's slots.
    final class Slots {
        var owner: OpaquePointer?
        var handleMessage: UnsafeMutablePointer<CChar>?
        var globalMessage: UnsafeMutablePointer<CChar>?
        deinit {
            free(handleMessage)
            free(globalMessage)
        }
    }

    /// The key; created once per process (Swift initialises globals exactly once, thread-safely).
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        // pthread_key_create returns 0 on success; failure means the process has exhausted its
        // PTHREAD_KEYS_MAX keys, after which messages are simply not kept (see `slots`).
        _ = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<Slots>.fromOpaque(raw).release()
        }
        return key
    }()

    /// This thread's slots, created on first use; `nil` only if storage cannot be set.
    static func slots(create: Bool) -> Slots? {
        if let raw = pthread_getspecific(key) { return Unmanaged<Slots>.fromOpaque(raw).takeUnretainedValue() }
        guard create else { return nil }
        let slots = Slots()
        let raw = Unmanaged.passRetained(slots).toOpaque()
        // pthread_setspecific returns 0 on success.
        guard pthread_setspecific(key, raw) == 0 else {
            Unmanaged<Slots>.fromOpaque(raw).release()
            return nil
        }
        return slots
    }

    /// Files `message` for the calling thread under `owner` (`nil`: the handle-less slot).
    static func record(_ message: String, owner: OpaquePointer?) {
        guard let slots = slots(create: true) else { return }
        let copy = strdup(message)  // NULL if out of memory: the slot then reads as empty
        if let owner {
            free(slots.handleMessage)
            slots.handleMessage = copy
            slots.owner = owner
        } else {
            free(slots.globalMessage)
            slots.globalMessage = copy
        }
    }

    /// The calling thread's message for `owner` (`nil`: the handle-less slot), or "".
    static func message(for owner: OpaquePointer?) -> UnsafePointer<CChar> {
        guard let slots = slots(create: false) else { return staticCString("") }
        let text = owner == nil ? slots.globalMessage : (slots.owner == owner ? slots.handleMessage : nil)
        return text.map { UnsafePointer($0) } ?? staticCString("")
    }

    /// Forgets the handle slot if it belongs to `owner` (which is being closed), so a later
    /// handle at the same address does not inherit its message.
    static func forget(_ owner: OpaquePointer) {
        guard let slots = slots(create: false), slots.owner == owner else { return }
        free(slots.handleMessage)
        slots.handleMessage = nil
        slots.owner = nil
    }
}

/// `const char *twin_errmsg(const twin_t *t)`: the calling thread's last error message from a
/// call on `t`, or, for `t` NULL, from a call without a handle; "" when there is none.
@c(twin_errmsg)
public func twinErrmsg(_ t: OpaquePointer?) -> UnsafePointer<CChar> {
    ThreadMessages.message(for: t)
}
