import Testing
@testable import TwinGeo

@Test(arguments: [
    ("wgs84", CRS.wgs84), ("WGS84", .wgs84), ("EPSG:4326", .wgs84), ("CRS84", .wgs84),
    ("urn:ogc:def:crs:OGC:1.3:CRS84", .wgs84), ("urn:ogc:def:crs:EPSG::4549", .epsg(4549)),
    ("epsg:4490", .cgcs2000), ("cgcs2000", .cgcs2000), (" gcj02 ", .gcj02), ("bd09", .bd09),
    ("EPSG:32651", .epsg(32651)),
])
func parsesCRSNames(name: String, expected: CRS) {
    #expect(CRS(name: name) == expected)
    #expect(CRS(name: expected.description) == expected)
}

@Test(arguments: ["", "EPSG:", "EPSG:-1", "EPSG:0x10", "EPSG:12345678", "mercator", "EPSG:4326x", "EPSG:０"])
func refusesBadCRSNames(name: String) {
    #expect(CRS(name: name) == nil)
}
