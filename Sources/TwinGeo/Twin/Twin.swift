#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TwinIndex

/// An opened twin: every layer, every epoch's merged grid, and the dispatch rules, in immutable
/// in-memory indexes. One locate answers every layer at once (多格合一).
///
/// ```swift
/// let twin = try Twin.open("district.twin.gpkg")
/// let a = try twin.locate(lon: 121.4012, lat: 31.2345, crs: .gcj02)
/// a.cell(layer: "警务")?.code         // the police grid cell
/// a.community?.name                   // the 居村
/// a.responsibleCell(for: "绿化")?.code // the cell the dispatch rules assign
/// ```
///
/// ## The boundary rule
/// Each epoch's atomic cells form an exact partition located by a ``PartitionLocator``: every
/// point of the union is in exactly one atomic cell, a point on a shared edge belongs to the cell
/// west of it (above a horizontal edge), a shared vertex to the cell west-north-west; a point
/// strictly inside a cell is in that cell; outside the union, no cell. Through the atomic cell,
/// each layer answers as its own exact locator would (slivers snapped by the merge excepted).
///
/// The file is read once by ``open(_:)``; queries never touch SQLite. `Twin` is immutable and
/// `Sendable`: share one instance across threads.
public final class Twin: Sendable {
    /// The file the twin was read from.
    public let path: String
    /// The layers, in the order their names were first imported.
    public let layers: [TwinLayer]
    /// The epochs, in time order (at least one).
    public let epochs: [TwinEpoch]
    /// Event category → responsible layer name (一口派单).
    public let dispatchRules: [String: String]

    /// Per epoch, the merged grid's locator and atomic-cell tables.
    let epochIndexes: [TwinEpochIndex]
    /// Per epoch, its first instant (ms since 1970; `nil` for the first epoch).
    let epochStarts: [Int64?]
    let layerIndex: [String: Int]
    /// For each hierarchy kind in chain order, the first layer of that kind.
    let hierarchyLayers: [Int]

    /// The layers' names, in ``layers`` order (the order of every per-layer answer).
    public var layerNames: [String] { layers.map(\.name) }

    init(path: String, layers: [TwinLayer], epochs: [TwinEpoch], epochStarts: [Int64?], epochIndexes: [TwinEpochIndex],
         dispatchRules: [String: String]) {
        self.path = path
        self.layers = layers
        self.epochs = epochs
        self.epochStarts = epochStarts
        self.epochIndexes = epochIndexes
        self.dispatchRules = dispatchRules
        self.layerIndex = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1.name, $0) })
        let chain: [GridLayerKind] = [.subdistrict, .managementArea, .community, .unitGrid]
        self.hierarchyLayers = chain.compactMap { kind in layers.firstIndex { $0.kind == kind } }
    }

    /// Opens a twin file read-only and builds its indexes.
    ///
    /// The file is never modified (SQLite read-only connection: no journal-mode change, no
    /// schema upgrade) and a missing path is never created.
    ///
    /// - Parameter path: a twin file written by ``TwinBuilder``.
    /// - Returns: the twin; the file can be closed, moved or rewritten afterwards.
    /// - Throws: ``StoreError`` for a missing or unreadable path, a file that is not SQLite or not
    ///   a GeoPackage, or a damaged file; ``FormatError`` naming the file (and table, row, column
    ///   where known) for a GeoPackage that is not a twin, a twin of a newer format, a twin whose
    ///   layers changed since its last merge, or inconsistent twin tables.
    /// - Complexity: O(stored positions) to read, O(E log E) per epoch to index E merged edges.
    public static func open(_ path: String) throws -> Twin {
        let package = try GeoPackage.open(at: path, mode: .readOnly)
        try TwinSchema.check(package)
        return try TwinFileReader(package: package).read()
    }

    /// The index of the layer named `name`, or `nil`.
    public func layerIndex(named name: String) -> Int? { layerIndex[name] }

    /// The code of cell `index` of layer `layer` (an index a batch call returned).
    ///
    /// - Returns: the code, or `nil` for an unknown layer, a negative index (no cell) or an
    ///   index out of range.
    public func cellCode(layer: String, index: Int) -> String? {
        guard let l = layerIndex[layer], index >= 0, index < layers[l].cells.count else { return nil }
        return layers[l].cells[index].code
    }

    /// The epoch in force at `date`; `nil` means the latest epoch.
    ///
    /// - Throws: ``TwinQueryError`` (`.argument`) for a date outside the years 1–9999.
    public func epoch(at date: Date?) throws -> TwinEpoch {
        epochs[try epochPosition(at: date)]
    }

    func epochPosition(at date: Date?) throws -> Int {
        guard let date else { return epochs.count - 1 }
        return epochPosition(atMilliseconds: try TwinTime.milliseconds(date, what: "the date"))
    }

    /// The position in ``epochs`` of the epoch holding `t` (ms since 1970).
    func epochPosition(atMilliseconds t: Int64) -> Int {
        // Starts ascend; the first epoch (start nil) holds everything before the second.
        var lo = 0, hi = epochStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if let start = epochStarts[mid], start <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The index of the responsible layer for `category`, or `nil` when no rule names it.
    public func responsibleLayer(for category: String) -> String? { dispatchRules[category] }
}

/// One epoch's merged grid, ready for queries.
struct TwinEpochIndex: Sendable {
    /// `nil` when no layer is in force (every point is outside).
    let locator: PartitionLocator?
    /// `atomicCount × layerCount` global cell indexes (row per atomic cell; -1 = no cell).
    let layerCells: [Int32]
    let atomicCount: Int
}
