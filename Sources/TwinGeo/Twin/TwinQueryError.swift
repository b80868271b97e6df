/// A request a twin cannot answer as asked: an unknown layer or category, a non-finite point, a
/// date outside the supported years, batch buffers of different lengths, or a builder call the
/// file's contents refuse (a layer re-imported with another kind, a dispatch rule naming a layer
/// the twin does not have).
///
/// Problems with the file itself are ``StoreError`` (cannot open, not a GeoPackage) or
/// ``FormatError`` (a GeoPackage that is not a usable twin), naming the file.
public struct TwinQueryError: TwinError, Equatable {
    /// `.argument` for a value out of its domain, `.notFound` for an unknown name.
    public var code: TwinErrorCode
    public var message: String
    public var location: SourceLocation?

    public init(_ code: TwinErrorCode, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }
}
