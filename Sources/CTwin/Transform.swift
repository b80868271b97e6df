import TwinGeo

/// `int twin_transform(const char *from, const char *to, double *x, double *y, size_t n)`:
/// converts `n` positions in place from one CRS to another.
@c(twin_transform)
public func twinTransform(_ from: UnsafePointer<CChar>?, _ to: UnsafePointer<CChar>?, _ x: UnsafeMutablePointer<Double>?,
                          _ y: UnsafeMutablePointer<Double>?, _ n: UInt) -> Int32 {
    callC(nil, "twin_transform") {
        let source = try CArgument.crs(try CArgument.require(from, "from"), "from")
        let target = try CArgument.crs(try CArgument.require(to, "to"), "to")
        // Built before the count check so that an unknown EPSG code fails even for n = 0.
        let transform = try CoordinateTransform(from: source, to: target)
        let count = try CArgument.count(n, "n")
        guard count > 0 else { return twinOK }
        let x = try CArgument.require(x, "x"), y = try CArgument.require(y, "y")
        try transform
            .transform(xs: UnsafeMutableBufferPointer(start: x, count: count), ys: UnsafeMutableBufferPointer(start: y, count: count))
        return twinOK
    }
}
