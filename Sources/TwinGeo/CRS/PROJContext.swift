import CPROJ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The calling thread's PROJ context (`PJ_CONTEXT`), its log messages, and its cache of
/// transformations, created on first use and destroyed when the thread exits.
///
/// PROJ objects are not thread-safe: a `PJ` must only be used with the context it was made in,
/// by one thread at a time. One context per thread (DESIGN.md) makes every PROJ call safe without
/// locks; transformations are cached per thread per (source, target), since creating one queries
/// proj.db and costs milliseconds. Messages reach ``lastMessage`` through `proj_log_func`.
final class PROJContext {
    /// The owned context; destroyed in `deinit` after every cached `PJ`.
    let context: OpaquePointer
    /// The last message PROJ logged on this context since ``clearMessages()``.
    fileprivate(set) var lastMessage: String?
    private var cache: [String: PROJTransformation] = [:]

    private init?() {
        // NULL only when PROJ cannot allocate the context.
        guard let context = proj_context_create() else { return nil }
        self.context = context
        // app_data is this object, unretained: the context is destroyed in deinit, so PROJ
        // cannot call back later. PROJ's default level (errors only) is kept.
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<PROJContext>.fromOpaque(appData).takeUnretainedValue().lastMessage = String(cString: message)
        }
    }

    deinit {
        // Every PJ belongs to this context and must go first.
        cache.removeAll()
        _ = proj_context_destroy(context)  // always returns NULL
    }

    /// Forgets the messages of earlier calls.
    func clearMessages() { lastMessage = nil }

    /// PROJ's explanation of the context's current error: the logged message if any, else
    /// `proj_context_errno_string` of `proj_context_errno`.
    func errorDetail() -> String {
        if let lastMessage, !lastMessage.isEmpty { return lastMessage }
        let code = proj_context_errno(context)
        if code != 0, let text = proj_context_errno_string(context, code) { return String(cString: text) }
        return "PROJ reported no message"
    }

    /// The transformation `source` → `target` (PROJ CRS strings such as `EPSG:4549`), normalized
    /// so geographic CRSs take x = longitude, y = latitude. Cached for this thread.
    ///
    /// - Throws: `CRSError` naming the CRS PROJ does not know, or with PROJ's message when no
    ///   transformation between them can be made.
    func transformation(from source: String, to target: String) throws -> PROJTransformation {
        let key = source + "\u{0}" + target
        if let cached = cache[key] { return cached }
        try checkCRS(source)
        try checkCRS(target)
        clearMessages()
        // NULL on failure, with the context errno set and a message logged.
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            throw CRSError("PROJ cannot transform \(source) to \(target): \(errorDetail())")
        }
        let rawOwner = PROJTransformation(raw, context: self)
        clearMessages()
        // A new PJ with lon/lat (east/north) axis order; NULL on failure. The raw one is freed
        // when `rawOwner` goes out of scope.
        // withExtendedLifetime: Swift could otherwise free `rawOwner` right after reading `pj`.
        let normalizedPJ = withExtendedLifetime(rawOwner) { proj_normalize_for_visualization(context, rawOwner.pj) }
        guard let normalized = normalizedPJ else {
            throw CRSError("PROJ cannot normalize the axis order of \(source) → \(target): \(errorDetail())")
        }
        let transformation = PROJTransformation(normalized, context: self)
        cache[key] = transformation
        return transformation
    }

    /// Throws unless PROJ resolves `name` to a coordinate reference system.
    private func checkCRS(_ name: String) throws {
        clearMessages()
        // NULL when the string names nothing PROJ knows (e.g. an unknown EPSG code).
        guard let object = proj_create(context, name) else {
            throw CRSError("unknown CRS \(name): PROJ: \(errorDetail())")
        }
        let owner = PROJTransformation(object, context: self)
        // TwinGeo positions are 2D x/y: only geographic, projected and compound (horizontal +
        // height) CRSs make sense; a vertical, geocentric or engineering CRS would be transformed
        // "successfully" into numbers that are not positions.
        let type = withExtendedLifetime(owner) { proj_get_type(owner.pj) }
        switch type {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_PROJECTED_CRS, PJ_TYPE_COMPOUND_CRS:
            return
        case PJ_TYPE_VERTICAL_CRS:
            throw CRSError("\(name) is a vertical CRS (heights), not a horizontal one")
        case PJ_TYPE_GEOCENTRIC_CRS:
            throw CRSError("\(name) is a geocentric (3D cartesian) CRS, not a horizontal one")
        default:
            throw CRSError("\(name) is not a geographic or projected CRS")
        }
    }

    /// The calling thread's context, created on first use.
    ///
    /// - Throws: `CRSError` if PROJ cannot allocate a context.
    static func current() throws -> PROJContext {
        let key = projContextKey
        if let raw = pthread_getspecific(key) {
            return Unmanaged<PROJContext>.fromOpaque(raw).takeUnretainedValue()
        }
        guard let context = PROJContext() else {
            throw CRSError("proj_context_create failed: cannot allocate a PROJ context")
        }
        // The slot holds the only strong reference; the key's destructor releases it at thread exit.
        let raw = Unmanaged.passRetained(context).toOpaque()
        // 0 on success, ENOMEM/EINVAL otherwise.
        guard pthread_setspecific(key, raw) == 0 else {
            Unmanaged<PROJContext>.fromOpaque(raw).release()
            throw CRSError("pthread_setspecific failed: cannot keep a PROJ context for this thread")
        }
        return context
    }
}

/// The thread-specific slot of ``PROJContext/current()``; its destructor runs at thread exit.
private let projContextKey: pthread_key_t = {
    var key = pthread_key_t()
    // 0 on success; EAGAIN/ENOMEM at start-up leave nothing to recover.
    let status = pthread_key_create(&key) { raw in
        guard let raw else { return }
        Unmanaged<PROJContext>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed (\(status)) for the PROJ context key")
    return key
}()
