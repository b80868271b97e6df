#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TwinGeo

/// The flat metric frame the generator works in, and its exact conversion to lon/lat.
///
/// The generator lays out roads and blocks in metres (x east, y north) around the district
/// centre and converts to WGS84 degrees with a local equirectangular mapping at the centre's
/// latitude: `lon = centre.lon + x / metresPerDegreeLon`, `lat = centre.lat + y / metresPerDegreeLat`.
/// Over Putuo (±0.04° of latitude) its scale error is below 0.04 %, far below what the sample
/// needs; tests that must measure metres exactly use GEOS/PROJ (`areaSquareMetres`). Because the
/// mapping is affine, centroids and straight lines carry over unchanged, and a vertex computed
/// once converts to one bit pattern however often it is used.
///
/// Degrees are rounded to 1e-8° (about 1 mm), which keeps the files short and the text stable.
public struct LocalFrame: Sendable, Hashable {
    /// The district centre, the origin of the metric frame.
    public let centre: Coordinate
    /// Metres per degree of longitude at the centre's latitude (WGS84 ellipsoid).
    public let metresPerDegreeLon: Double
    /// Metres per degree of latitude at the centre's latitude (WGS84 ellipsoid).
    public let metresPerDegreeLat: Double

    /// The frame centred on `centre`, with the WGS84 meridian/parallel arc lengths there.
    public init(centre: Coordinate) {
        self.centre = centre
        let phi = centre.y * .pi / 180
        // Series for the WGS84 ellipsoid (the usual NGA/"length of a degree" coefficients).
        metresPerDegreeLat = 111_132.92 - 559.82 * cos(2 * phi) + 1.175 * cos(4 * phi) - 0.0023 * cos(6 * phi)
        metresPerDegreeLon = 111_412.84 * cos(phi) - 93.5 * cos(3 * phi) + 0.118 * cos(5 * phi)
    }

    /// Putuo's frame: centre 121.415°E, 31.255°N.
    public static let putuo = LocalFrame(centre: Coordinate(121.415, 31.255))

    /// lon/lat degrees (rounded to 1e-8°) of a metric position.
    @inlinable public func degrees(x: Double, y: Double) -> Coordinate {
        Coordinate(LocalFrame.round8(centre.x + x / metresPerDegreeLon),
                   LocalFrame.round8(centre.y + y / metresPerDegreeLat))
    }

    /// The metric position of lon/lat degrees (the inverse of ``degrees(x:y:)`` up to rounding).
    @inlinable public func metres(_ c: Coordinate) -> (x: Double, y: Double) {
        ((c.x - centre.x) * metresPerDegreeLon, (c.y - centre.y) * metresPerDegreeLat)
    }

    /// Distance in metres between two lon/lat positions, in this frame.
    @inlinable public func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = (a.x - b.x) * metresPerDegreeLon, dy = (a.y - b.y) * metresPerDegreeLat
        return (dx * dx + dy * dy).squareRoot()
    }

    @inlinable static func round8(_ v: Double) -> Double { (v * 1e8).rounded() / 1e8 }
}
