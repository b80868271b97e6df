#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a GeoJSON FeatureCollection to a file or a sink, one feature at a time.
///
/// ```swift
/// let writer = try GeoJSONWriter(path: "cells.geojson", crs: .epsg(4549), collectionBBox: .computed)
/// for cell in cells { try writer.write(cell) }
/// try writer.finish()
/// ```
///
/// Output: compact JSON with one feature per line. The collection's `crs` (the 2008 named
/// form, omitted for WGS84) and a fixed `bbox` go before `features`; a computed `bbox` goes
/// after it (`GeoJSONFeatureReader` reads members in any order). Memory is bounded by the
/// largest feature plus a 64 KiB output buffer.
///
/// Not thread-safe. A writer that is not finished leaves an incomplete document.
public final class GeoJSONWriter {
    /// Where the collection's `bbox` comes from.
    public enum CollectionBBox: Sendable, Hashable {
        /// No collection `bbox`.
        case none
        /// This box, written before the features.
        case fixed(BoundingBox)
        /// The union of the features' geometry boxes, written after the features.
        case computed
    }

    private var file: UnsafeMutablePointer<FILE>?
    private let sink: (([UInt8]) throws -> Void)?
    private let path: String?
    private var buffer: [UInt8] = []
    private let collectionBBox: CollectionBBox
    private let writeFeatureBBoxes: Bool
    private var computedBox = BoundingBox.empty
    private var finished = false
    /// Features written so far.
    public private(set) var featureCount = 0

    private static let flushThreshold = 64 * 1024

    /// Creates (or truncates) the file at `path` and writes the collection header.
    ///
    /// - Parameters:
    ///   - path: the output file.
    ///   - crs: the CRS of the coordinates; `nil` or `.wgs84` writes no `crs` member.
    ///   - collectionBBox: whether and how to write the collection's `bbox`.
    ///   - writeFeatureBBoxes: give every feature without a `bbox` one computed from its geometry.
    /// - Throws: `IOFileError` when the file cannot be created.
    public init(path: String, crs: CRS? = nil, collectionBBox: CollectionBBox = .none,
                writeFeatureBBoxes: Bool = false) throws {
        guard let f = fopen(path, "wb") else { throw IOFileError.fromErrno("create \(path)", path: path) }
        file = f
        sink = nil
        self.path = path
        self.collectionBBox = collectionBBox
        self.writeFeatureBBoxes = writeFeatureBBoxes
        try writeHeader(crs)
    }

    /// A writer that hands its output to `sink` in chunks (for sockets, pipes or memory).
    ///
    /// - Parameter sink: called with consecutive pieces of the document; errors it throws are
    ///   passed on to the caller of `write`/`finish`.
    public init(crs: CRS? = nil, collectionBBox: CollectionBBox = .none, writeFeatureBBoxes: Bool = false,
                sink: @escaping ([UInt8]) throws -> Void) throws {
        file = nil
        self.sink = sink
        path = nil
        self.collectionBBox = collectionBBox
        self.writeFeatureBBoxes = writeFeatureBBoxes
        try writeHeader(crs)
    }

    deinit { if let file { fclose(file) } }

    private func writeHeader(_ crs: CRS?) throws {
        buffer.append(contentsOf: "{\"type\":\"FeatureCollection\",".utf8)
        if let crs, let member = GeoJSONCRS.encode(crs) {
            buffer.append(contentsOf: "\"crs\":".utf8)
            JSONWriting.append(member, to: &buffer)
            buffer.append(44)
        }
        if case .fixed(let box) = collectionBBox {
            buffer.append(contentsOf: "\"bbox\":".utf8)
            GeoJSONGeometryEncoder.bbox(box, to: &buffer)
            buffer.append(44)
        }
        buffer.append(contentsOf: "\"features\":[".utf8)
    }

    /// Appends one feature.
    ///
    /// - Throws: `GeometryError` (nothing is written) when the geometry has a non-finite
    ///   coordinate or a structure readers refuse, or the `bbox` is not finite; `IOFileError`
    ///   when writing fails.
    public func write(_ feature: GeoJSONFeature) throws {
        if finished { throw IOFileError("cannot write a feature after finish()", at: SourceLocation(file: path)) }
        var out: [UInt8] = []
        out.append(contentsOf: (featureCount == 0 ? "\n" : ",\n").utf8)
        out.append(contentsOf: "{\"type\":\"Feature\"".utf8)
        if let id = feature.id {
            switch id {
            case .string, .number: break
            default: throw GeometryError("a feature id must be a string or a number, found \(id.typeName)",
                                         at: SourceLocation(feature: featureCount, field: "id"))
            }
            out.append(contentsOf: ",\"id\":".utf8)
            JSONWriting.append(id, to: &out)
        }
        let box = feature.bbox ?? (writeFeatureBBoxes ? feature.geometry?.boundingBox : nil)
        if let box {
            guard box.minX.isFinite, box.minY.isFinite, box.maxX.isFinite, box.maxY.isFinite else {
                throw GeometryError("a feature bbox must be finite", at: SourceLocation(feature: featureCount, field: "bbox"))
            }
            out.append(contentsOf: ",\"bbox\":".utf8)
            GeoJSONGeometryEncoder.bbox(box, to: &out)
        }
        out.append(contentsOf: ",\"geometry\":".utf8)
        if let geometry = feature.geometry {
            do { try IOGeometryRules.checkWritable(geometry) } catch let e as GeometryError {
                var location = e.location ?? SourceLocation()
                location.feature = featureCount
                throw GeometryError(e.message, at: location)
            }
            GeoJSONGeometryEncoder.append(geometry, to: &out)
            if case .computed = collectionBBox, let b = geometry.boundingBox { computedBox = computedBox.union(b) }
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: ",\"properties\":".utf8)
        JSONWriting.appendObject(feature.properties, to: &out)
        out.append(125)
        buffer.append(contentsOf: out)
        featureCount += 1
        if buffer.count >= GeoJSONWriter.flushThreshold { try flush() }
    }

    /// Closes the `features` array and the document, writes a computed `bbox`, and flushes.
    ///
    /// - Throws: `IOFileError` when writing or closing the file fails.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        buffer.append(contentsOf: (featureCount == 0 ? "]" : "\n]").utf8)
        if case .computed = collectionBBox, !computedBox.isEmpty {
            buffer.append(contentsOf: ",\"bbox\":".utf8)
            GeoJSONGeometryEncoder.bbox(computedBox, to: &buffer)
        }
        buffer.append(contentsOf: "}\n".utf8)
        try flush()
        if let f = file {
            file = nil
            if fclose(f) != 0 { throw IOFileError.fromErrno("close", path: path ?? "") }
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if let file {
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            if written != buffer.count { throw IOFileError.fromErrno("write", path: path ?? "") }
        } else if let sink {
            try sink(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
