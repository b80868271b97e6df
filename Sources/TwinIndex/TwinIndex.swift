/// TwinIndex: packed R-tree and point-in-partition locator over `Double` coordinates.
/// Pure Swift; no Foundation, no C.
public enum TwinIndexVersion {
    public static let string = "0.1.0"
}
