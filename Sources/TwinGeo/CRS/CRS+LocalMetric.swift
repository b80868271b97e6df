extension CRS {
    /// A metric CRS with small distortion around a lon/lat position, for areas, lengths and
    /// buffers in metres.
    ///
    /// Inside China's longitudes (73.5°E…136.5°E, northern hemisphere) this is the CGCS2000
    /// 3-degree Gauss-Krüger zone whose central meridian is nearest: EPSG:4534 (CM 75°E) …
    /// EPSG:4554 (CM 135°E), no zone number in the easting. Shanghai west of 121.5°E (Putuo,
    /// Minhang, Jing'an, …) gets EPSG:4549 (CM 120°E), the projection of the district's survey data;
    /// Pudong east of 121.5°E gets EPSG:4550 (CM 123°E). At the edge of a zone the scale error is
    /// about 2.5e-4 (areas 5e-4), so either neighbour gives the same metres to that precision.
    /// Elsewhere the WGS84 UTM zone (EPSG:326zz north, 327zz south) is used.
    ///
    /// - Parameters:
    ///   - longitude: degrees east, WGS84/CGCS2000.
    ///   - latitude: degrees north.
    /// - Returns: `.epsg(code)` of the chosen projection.
    public static func localMetric(longitude: Double, latitude: Double) -> CRS {
        if longitude >= 73.5, longitude < 136.5, latitude >= 0 {
            let centralMeridian = (longitude / 3).rounded() * 3  // 75 … 135
            return .epsg(4534 + Int((centralMeridian - 75) / 3))
        }
        let lon = longitude.isFinite ? longitude : 0
        let zone = min(60, max(1, Int(((lon + 180) / 6).rounded(.down)) + 1))
        return .epsg((latitude < 0 ? 32700 : 32600) + zone)
    }
}
