import CPROJ

/// Sole owner of one `PJ*` (a CRS or a transformation), destroyed with `proj_destroy` in
/// `deinit`. Lives in its ``PROJContext`` (cache or a local), used only on that context's thread.
final class PROJTransformation {
    let pj: OpaquePointer
    /// Unowned: the context destroys its cache (and so every PJ) before itself.
    private unowned let context: PROJContext

    init(_ pj: OpaquePointer, context: PROJContext) {
        self.pj = pj
        self.context = context
    }

    deinit {
        _ = proj_destroy(pj)  // always returns NULL
    }

    /// Transforms `count` points in place, x and y each with a stride of one `Double`.
    ///
    /// - Throws: ``CRSPointFailure`` for the first point PROJ could not transform (its output is
    ///   `HUGE_VAL` or otherwise not finite), with PROJ's reason.
    func forward(x: UnsafeMutablePointer<Double>, y: UnsafeMutablePointer<Double>, count: Int) throws {
        guard count > 0 else { return }
        let stride = MemoryLayout<Double>.stride
        context.clearMessages()
        _ = proj_errno_reset(pj)  // returns the previous errno; starts this batch clean
        // Returns the number of points transformed (== count here); failed points are set to
        // HUGE_VAL and leave the PJ's errno set, which the loop below reports.
        _ = proj_trans_generic(pj, PJ_FWD, x, stride, count, y, stride, count, nil, 0, 0, nil, 0, 0)
        for i in 0..<count where !(x[i].isFinite && y[i].isFinite) {
            let code = proj_errno(pj)
            var detail = context.lastMessage ?? ""
            if detail.isEmpty, code != 0, let text = proj_context_errno_string(context.context, code) {
                detail = String(cString: text)
            }
            throw CRSPointFailure(index: i, reason: "PROJ: " + (detail.isEmpty ? "no result" : detail))
        }
    }
}

/// One position of a batch could not be transformed; ``CoordinateTransform`` turns it into a
/// `CRSError` that names the position, its value when known, and the two CRSs.
struct CRSPointFailure: Error {
    var index: Int
    var reason: String
    /// The input position, when it is still known (non-finite inputs are found before any change).
    var value: Coordinate? = nil
}
