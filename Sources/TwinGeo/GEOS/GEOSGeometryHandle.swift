import CGEOS

/// Sole Swift owner of one `GEOSGeometry*`.
///
/// The pointer is destroyed with `GEOSGeom_destroy_r` in `deinit` unless ownership was handed to
/// GEOS with ``release()`` (e.g. a ring given to `GEOSGeom_createPolygon_r`). Handles are made and
/// dropped inside one operation on one thread, with that thread's ``GEOSContext``.
final class GEOSGeometryHandle {
    /// The owned geometry; `nil` after ``release()``.
    private(set) var pointer: OpaquePointer?
    private let context: GEOSContext

    /// Takes ownership of `pointer`, which must come from a GEOS constructor or operation run
    /// with `context` and must not be owned by anything else.
    init(_ pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    /// Wraps the result of a GEOS call that returns a new geometry or NULL on exception.
    ///
    /// - Throws: `GeometryError` with GEOS's message when `result` is NULL.
    static func checked(_ result: OpaquePointer?, _ operation: String, context: GEOSContext) throws -> GEOSGeometryHandle {
        guard let result else { throw context.error(operation) }
        return GEOSGeometryHandle(result, context: context)
    }

    /// Calls `body` with the geometry, keeping this handle (and so the geometry) alive until
    /// `body` returns. Swift may end an object's lifetime right after its last use, so reading
    /// the pointer out and then calling GEOS could use a destroyed geometry; the scope prevents it.
    func withPointer<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        guard let pointer else { preconditionFailure("GEOS geometry used after its ownership was transferred") }
        return try withExtendedLifetime(self) { try body(pointer) }
    }

    /// Gives up ownership: the caller passes the pointer to a GEOS function that takes it.
    func release() -> OpaquePointer {
        guard let p = pointer else { preconditionFailure("GEOS geometry released twice") }
        pointer = nil
        return p
    }

    deinit {
        if let pointer { GEOSGeom_destroy_r(context.handle, pointer) }
    }
}
