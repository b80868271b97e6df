import Testing
import TwinGeo
@testable import CTwin

@Test func versionNumberMatchesSwiftVersion() {
    let v = twinVersion()
    #expect(Int(v) / 10_000 == TwinGeoVersion.major)
    #expect(Int(v) / 100 % 100 == TwinGeoVersion.minor)
    #expect(Int(v) % 100 == TwinGeoVersion.patch)
}
