import CGEOS
import Testing
@testable import TwinGeo

/// Cross-checks the WKT and WKB codecs against GEOS (the system libgeos_c, used only here):
/// GEOS must read what TwinGeo writes, and what GEOS writes back must read into a
/// bit-identical geometry.
@Suite struct WKBGEOSCrossCheckTests {
    /// A GEOS context with a WKB writer; freed at the end of the test.
    final class GEOS {
        let handle: GEOSContextHandle_t
        init() { handle = GEOS_init_r() }
        deinit { GEOS_finish_r(handle) }

        /// GEOS's WKB for `geometry` (the caller frees it).
        func wkb(_ geometry: OpaquePointer, order: WKBByteOrder) -> [UInt8] {
            let writer = GEOSWKBWriter_create_r(handle)!
            defer { GEOSWKBWriter_destroy_r(handle, writer) }
            GEOSWKBWriter_setOutputDimension_r(handle, writer, 2)
            GEOSWKBWriter_setByteOrder_r(handle, writer, order == .littleEndian ? Int32(GEOS_WKB_NDR.rawValue) : Int32(GEOS_WKB_XDR.rawValue))
            var size = 0
            let buffer = GEOSWKBWriter_write_r(handle, writer, geometry, &size)!
            defer { GEOSFree_r(handle, buffer) }
            return Array(UnsafeBufferPointer(start: buffer, count: size))
        }

        func readWKB(_ bytes: [UInt8]) -> OpaquePointer? {
            let reader = GEOSWKBReader_create_r(handle)!
            defer { GEOSWKBReader_destroy_r(handle, reader) }
            return bytes.withUnsafeBufferPointer { GEOSWKBReader_read_r(handle, reader, $0.baseAddress, $0.count) }
        }

        func readWKT(_ text: String) -> OpaquePointer? {
            let reader = GEOSWKTReader_create_r(handle)!
            defer { GEOSWKTReader_destroy_r(handle, reader) }
            return GEOSWKTReader_read_r(handle, reader, text)
        }

        func free(_ g: OpaquePointer) { GEOSGeom_destroy_r(handle, g) }
    }

    /// GEOS 3.11 cannot represent an empty member inside a multi-point in WKT; the rest of the
    /// samples are checked.
    static let names = WKTSamples.names

    @Test(arguments: names, [WKBByteOrder.littleEndian, .bigEndian])
    func geosReadsOurWKBAndWritesItBack(name: String, order: WKBByteOrder) throws {
        let geos = GEOS()
        let g = WKTSamples.named(name)
        let ours = try g.wkb(byteOrder: order)
        guard let parsed = geos.readWKB(ours) else { Issue.record("GEOS refused our WKB for \(name)"); return }
        defer { geos.free(parsed) }
        let theirs = geos.wkb(parsed, order: order)
        let back = try Geometry(wkb: theirs)
        #expect(WKTSamples.identical(back, g), "\(name)")
        #expect(theirs == ours, "\(name): GEOS wrote different bytes")
    }

    @Test(arguments: names)
    func geosReadsOurWKT(name: String) throws {
        let geos = GEOS()
        let g = WKTSamples.named(name)
        let text = try g.wkt
        guard let parsed = geos.readWKT(text) else { Issue.record("GEOS refused our WKT \(text)"); return }
        defer { geos.free(parsed) }
        let back = try Geometry(wkb: geos.wkb(parsed, order: .littleEndian))
        #expect(WKTSamples.identical(back, g), "\(name): \(text)")
    }
}
