import TwinGeo

/// What a `twin_t *` points at: an opened ``Twin`` and the values every call needs.
///
/// The C handle is this object's retained, opaque pointer (`Unmanaged`): `twin_open` retains
/// it once and `twin_close` releases it once. It is immutable, so any number of threads may
/// use it at once, as `Twin` itself allows.
final class TwinHandle: Sendable {
    let twin: Twin
    /// The latest epoch, whose grid every C query answers.
    let epoch: Int

    init(_ twin: Twin) throws {
        self.twin = twin
        self.epoch = try twin.epoch(at: nil).id
    }

    /// The object behind a non-NULL handle, not retained (the caller's handle keeps it alive).
    static func from(_ t: OpaquePointer) -> TwinHandle {
        Unmanaged<TwinHandle>.fromOpaque(UnsafeRawPointer(t)).takeUnretainedValue()
    }

    /// The object behind `t`; throws `.argument` for NULL.
    static func require(_ t: OpaquePointer?) throws -> TwinHandle {
        from(try CArgument.require(t, "the twin handle"))
    }
}

/// `int twin_open(const char *path, twin_t **out)`: opens a twin file read-only.
///
/// `*out` is always written: the handle on success, NULL on failure (message via
/// `twin_errmsg(NULL)` on the same thread).
@c(twin_open)
public func twinOpen(_ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    out?.pointee = nil
    return callC(nil, "twin_open") {
        let out = try CArgument.require(out, "out (the handle's address)")
        let path = String(cString: try CArgument.require(path, "path"))
        let handle = try TwinHandle(try Twin.open(path))
        out.pointee = OpaquePointer(Unmanaged.passRetained(handle).toOpaque())
        return twinOK
    }
}

/// `void twin_close(twin_t *t)`: frees a handle; NULL is a no-op.
@c(twin_close)
public func twinClose(_ t: OpaquePointer?) {
    guard let t else { return }
    ThreadMessages.forget(t)
    Unmanaged<TwinHandle>.fromOpaque(UnsafeRawPointer(t)).release()
}
