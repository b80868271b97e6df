import TwinGeo

/// `int twin_version(void)`: the library version as MAJOR*10000 + MINOR*100 + PATCH,
/// equal to `TWIN_VERSION_NUMBER` of the header the caller compiled against.
@c(twin_version)
public func twinVersion() -> Int32 {
    Int32(TwinGeoVersion.major * 10_000 + TwinGeoVersion.minor * 100 + TwinGeoVersion.patch)
}
