/// TwinGeo's version, kept equal to `TWIN_VERSION_*` in include/twin.h (a C test checks it).
public enum TwinGeoVersion {
    public static let major = 0
    public static let minor = 1
    public static let patch = 0
    public static var string: String { "\(major).\(minor).\(patch)" }
}
