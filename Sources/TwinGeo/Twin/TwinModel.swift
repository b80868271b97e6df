#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A maximal interval of time over which the set of layer versions in force does not change.
///
/// Epochs tile the whole time line, in order: the first starts at the beginning of time
/// (``validFrom`` `nil`), the last never ends (``validTo`` `nil`). A twin without layers has one
/// epoch with no versions.
public struct TwinEpoch: Hashable, Sendable {
    /// The epoch's number, 0 for the earliest, in time order.
    public var id: Int
    /// The first instant of the epoch, or `nil` for the beginning of time.
    public var validFrom: Date?
    /// The first instant after the epoch, or `nil` if it never ends.
    public var validTo: Date?
    /// The version number in force of each layer that has one (layers absent here have no cell
    /// anywhere during the epoch).
    public var layerVersions: [String: Int]

    public init(id: Int, validFrom: Date?, validTo: Date?, layerVersions: [String: Int]) {
        self.id = id
        self.validFrom = validFrom
        self.validTo = validTo
        self.layerVersions = layerVersions
    }

    /// Whether `date` lies in `[validFrom, validTo)`.
    public func contains(_ date: Date) -> Bool {
        (validFrom.map { $0 <= date } ?? true) && (validTo.map { date < $0 } ?? true)
    }
}

/// One imported version of a layer.
public struct TwinLayerVersion: Hashable, Sendable {
    /// 1 for the first import of the layer name, then 2, 3, …
    public var version: Int
    /// When the version comes into force (`nil`: since always).
    public var validFrom: Date?
    /// When it stops being in force (`nil`: never).
    public var validTo: Date?
    /// The file it was imported from, when the importer said.
    public var sourceFile: String?
    /// When it was imported.
    public var importedAt: Date
    /// Its feature table in the twin file (`layer_<n>`).
    public var tableName: String
    /// Its cells' positions in ``TwinLayer/cells``: the indexes every locate answer uses.
    public var cells: Range<Int>

    public init(version: Int, validFrom: Date?, validTo: Date?, sourceFile: String?, importedAt: Date,
                tableName: String, cells: Range<Int>) {
        self.version = version
        self.validFrom = validFrom
        self.validTo = validTo
        self.sourceFile = sourceFile
        self.importedAt = importedAt
        self.tableName = tableName
        self.cells = cells
    }
}

/// A cell of one version of a layer, as a ``Twin`` knows it (geometry stays in the file: the
/// twin answers through its merged locators).
public struct TwinCell: Hashable, Sendable {
    /// The cell code (unique within its layer version in a validated layer).
    public var code: String
    /// The display name, if any.
    public var name: String?
    /// The parent cell's code as imported, if any.
    public var parentCode: String?
    /// The layer version the cell belongs to.
    public var version: Int

    public init(code: String, name: String?, parentCode: String?, version: Int) {
        self.code = code
        self.name = name
        self.parentCode = parentCode
        self.version = version
    }
}

/// A layer of a twin: every version's cells, one index space for all of them.
///
/// A cell index (what the batch APIs return for a layer) is a position in ``cells``, so it names
/// one cell of one version whatever epoch answered it.
public struct TwinLayer: Hashable, Sendable {
    /// The layer's name, e.g. 警务 or 居村.
    public var name: String
    /// What the layer partitions the district into.
    public var kind: GridLayerKind
    /// The layer of the level above, for hierarchy layers: as recorded on import, else the first
    /// layer of the parent kind.
    public var parentLayer: String?
    /// The versions, oldest first.
    public var versions: [TwinLayerVersion]
    /// The cells of every version, version after version (see ``TwinLayerVersion/cells``).
    public var cells: [TwinCell]

    public init(name: String, kind: GridLayerKind, parentLayer: String?, versions: [TwinLayerVersion], cells: [TwinCell]) {
        self.name = name
        self.kind = kind
        self.parentLayer = parentLayer
        self.versions = versions
        self.cells = cells
    }
}

/// One layer's cell at a located point.
public struct TwinCellMatch: Hashable, Sendable {
    /// The layer's name.
    public var layer: String
    /// The layer's kind.
    public var kind: GridLayerKind
    /// The cell's index in ``TwinLayer/cells`` (the index the batch APIs return).
    public var index: Int
    /// The cell code.
    public var code: String
    /// The cell's name, if any.
    public var name: String?
    /// The layer version the cell belongs to.
    public var version: Int

    public init(layer: String, kind: GridLayerKind, index: Int, code: String, name: String?, version: Int) {
        self.layer = layer
        self.kind = kind
        self.index = index
        self.code = code
        self.name = name
        self.version = version
    }
}
