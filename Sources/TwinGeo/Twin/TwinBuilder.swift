#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes a twin file: imports layer versions, sets the dispatch rules, validates the layers
/// and stores the merged grid (多格合一) of every epoch.
///
/// ```swift
/// let builder = try TwinBuilder.create(at: "district.twin.gpkg")
/// try builder.importLayer(police)                       // 警务 v1, in force since always
/// try builder.importLayer(police2025, validFrom: march) // 警务 v2 from March; v1 before
/// try builder.setDispatchRules(["治安": "警务", "绿化": "绿容"])
/// let reports = try builder.validate()
/// let merge = try builder.merge(options: MergeOptions(sliverAreaM2: 50, snapSlivers: true))
/// let twin = try Twin.open(builder.path)
/// ```
///
/// Every write is one transaction: an import, a rule change or a merge that throws leaves the
/// file as it was. The file layout is described in the twin-file section of DESIGN.md and on
/// the internal `TwinSchema`.
///
/// Not `Sendable`: one builder owns one SQLite connection, used from one thread at a time.
public final class TwinBuilder {
    /// The twin file.
    let package: GeoPackage
    /// Test hook: throw after this many rows have been written in the current import or merge,
    /// to prove that a failure midway leaves the file as it was.
    var failAfterRows: Int?
    private var rowsWritten = 0

    /// The file path, as given.
    public var path: String { package.path }

    private init(package: GeoPackage) { self.package = package }

    /// Creates a new, empty twin file at `path`.
    ///
    /// A new file gets the GeoPackage 1.3 core and the twin tables. An existing file is reused only
    /// when it is an empty GeoPackage or a twin without layers and rules; anything holding data is
    /// refused, never overwritten.
    ///
    /// - Throws: ``StoreError``: `.io` when the file cannot be created, `.argument` when an
    ///   existing file is refused (the message says what it holds).
    public static func create(at path: String) throws -> TwinBuilder {
        if GeoPackage.fileExists(path), let existing = try? open(at: path) {
            let layers = try TwinLayerRecord.readAll(existing.package).count
            let rules = try existing.package.rowCount(table: TwinSchema.dispatchRules)
            guard layers == 0, rules == 0 else {
                throw StoreError(.argument, "refusing to overwrite the existing twin: it holds \(layers) layer version(s) "
                                 + "and \(rules) dispatch rule(s)", at: SourceLocation(file: path))
            }
            return existing
        }
        let package = try GeoPackage.create(at: path)
        try TwinSchema.create(in: package, createdAt: try TwinTime.milliseconds(Date(), what: "the current time"))
        return TwinBuilder(package: package)
    }

    /// Opens an existing twin file for writing.
    ///
    /// - Throws: ``StoreError`` for a missing path (never created), an unreadable or damaged file
    ///   or one that is not a GeoPackage; ``FormatError`` for a GeoPackage that is not a twin.
    public static func open(at path: String) throws -> TwinBuilder {
        let package = try GeoPackage.open(at: path, mode: .readWrite)
        try TwinSchema.check(package)
        return TwinBuilder(package: package)
    }

    // MARK: Layers

    /// Imports a layer as a new version of the layer `layer.name`.
    ///
    /// The first import of a name is version 1; each later one adds the next version, which wins
    /// over older versions wherever their validity intervals overlap. The cells are stored as
    /// given (validate them with ``validate(options:)``); the stored merge is out of date until the
    /// next ``merge(options:)``, and ``Twin/open(_:)`` refuses the file until then.
    ///
    /// - Parameters:
    ///   - layer: the layer; at least one cell, every code non-empty.
    ///   - validFrom: when the version comes into force (`nil`: since always); rounded to the millisecond.
    ///   - validTo: when it stops being in force (`nil`: never); after `validFrom`.
    ///   - sourceFile: the file the layer was read from, recorded for people.
    /// - Returns: the version number given to the import.
    /// - Throws: ``TwinQueryError`` (`.argument`) for an empty layer, an empty code or name, a
    ///   kind that differs from the earlier versions', or dates out of order; ``StoreError`` or
    ///   `GeometryError` (naming the cell) when a row cannot be written. Nothing is written then.
    /// - Complexity: O(positions) plus one R*Tree insert per cell; one transaction.
    @discardableResult
    public func importLayer(_ layer: GridLayer, validFrom: Date? = nil, validTo: Date? = nil,
                            sourceFile: String? = nil) throws -> Int {
        try Self.checkName(layer.name, what: "layer name")
        guard !layer.cells.isEmpty else {
            throw TwinQueryError(.argument, "layer \(layer.name) has no cells; a layer needs at least one")
        }
        for (i, cell) in layer.cells.enumerated() where cell.code.isEmpty {
            throw TwinQueryError(.argument, "layer \(layer.name), cell #\(i): the code is empty")
        }
        let from = try validFrom.map { try TwinTime.milliseconds($0, what: "validFrom") }
        let to = try validTo.map { try TwinTime.milliseconds($0, what: "validTo") }
        if let from, let to, from >= to {
            throw TwinQueryError(.argument, "layer \(layer.name): validTo (\(TwinTime.format(to))) must be after validFrom (\(TwinTime.format(from)))")
        }
        let importedAt = try TwinTime.milliseconds(Date(), what: "the current time")

        rowsWritten = 0
        return try package.withTransaction {
            let records = try TwinLayerRecord.readAll(package)
            let earlier = records.filter { $0.name == layer.name }
            if let first = earlier.first, first.kind != layer.kind {
                throw TwinQueryError(.argument, "layer \(layer.name) was imported as \(first.kind); a new version must have "
                                     + "the same kind, not \(layer.kind)")
            }
            let version = (earlier.map(\.version).max() ?? 0) + 1
            let parent = earlier.first?.parentLayer
                ?? layer.kind.parentKind.flatMap { kind in records.first { $0.kind == kind }?.name }
            let table = try nextLayerTable(records)
            try package.createFeatureTable(name: table, geometryType: .multiPolygon, columns: TwinSchema.cellColumns,
                                           identifier: "\(layer.name) v\(version)",
                                           description: "TwinGeo layer \(layer.name) (\(layer.kind.chineseName)), version \(version)")
            for (i, cell) in layer.cells.enumerated() {
                do {
                    try package.insertFeature(into: table, geometry: .multiPolygon(cell.geometry),
                                              values: [.text(cell.code), cell.name.map(SQLiteValue.text) ?? .null,
                                                       cell.parentCode.map(SQLiteValue.text) ?? .null])
                } catch let error as GeometryError {
                    throw GeometryError("layer \(layer.name), cell #\(i) \(cell.label): \(error.message)", at: error.location)
                }
                try countRow()
            }
            func date(_ ms: Int64?) -> SQLiteValue { ms.map { .text(TwinTime.format($0)) } ?? .null }
            try package.insertRow(into: TwinSchema.layers, values: [
                .text(layer.name), .text(layer.kind.rawValue), .text(table), .integer(Int64(version)), date(from), date(to),
                parent.map(SQLiteValue.text) ?? .null, sourceFile.map(SQLiteValue.text) ?? .null, date(importedAt),
                .integer(Int64(layer.cells.count)),
            ])
            return version
        }
    }

    /// The layer versions in the file, in import order: name, kind and version.
    public func layerVersions() throws -> [(name: String, kind: GridLayerKind, version: Int)] {
        try TwinLayerRecord.readAll(package).map { ($0.name, $0.kind, $0.version) }
    }

    /// `layer_<n>` with n one more than any layer table so far (names are never reused).
    private func nextLayerTable(_ records: [TwinLayerRecord]) throws -> String {
        var n = records.compactMap { Int($0.table.dropFirst(TwinSchema.layerTablePrefix.count)) }.max() ?? 0
        while true {
            n += 1
            let name = TwinSchema.layerTablePrefix + String(n)
            if try package.database.scalar("SELECT 1 FROM sqlite_master WHERE lower(name) = ?", [.text(name)]) == nil {
                return name
            }
        }
    }

    /// Counts a written row for the ``failAfterRows`` test hook.
    private func countRow() throws {
        rowsWritten += 1
        if let limit = failAfterRows, rowsWritten >= limit {
            throw StoreError(.io, "injected failure after \(rowsWritten) rows (test hook)", at: SourceLocation(file: path))
        }
    }

    static func checkName(_ name: String, what: String) throws {
        guard !name.isEmpty else { throw TwinQueryError(.argument, "the \(what) is empty") }
        guard name.count <= 200 else { throw TwinQueryError(.argument, "the \(what) \(name.prefix(20))… is longer than 200 characters") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw TwinQueryError(.argument, "the \(what) \"\(name.debugDescription)\" contains a control character")
        }
    }

    // MARK: Dispatch rules

    /// Replaces the dispatch rules: which layer's cell is responsible for each event category.
    ///
    /// - Parameter rules: category → layer name; every layer must already be in the twin.
    /// - Throws: ``TwinQueryError`` (`.notFound`) naming a rule whose layer is not in the twin,
    ///   (`.argument`) for an empty category; ``StoreError`` when the rows cannot be written.
    public func setDispatchRules(_ rules: [String: String]) throws {
        let names = Set(try TwinLayerRecord.readAll(package).map(\.name))
        for (category, layer) in rules.sorted(by: { $0.key < $1.key }) {
            try Self.checkName(category, what: "dispatch category")
            guard names.contains(layer) else {
                throw TwinQueryError(.notFound, "dispatch rule \(category) → \(layer): the twin has no layer \(layer) "
                                     + "(layers: \(names.sorted().joined(separator: ", ")))")
            }
        }
        try package.withTransaction {
            try package.database.execute("DELETE FROM twin_dispatch_rules")
            for (category, layer) in rules.sorted(by: { $0.key < $1.key }) {
                try package.insertRow(into: TwinSchema.dispatchRules, values: [.text(category), .text(layer)])
            }
        }
    }

    /// The dispatch rules in the file: category → layer name.
    public func dispatchRules() throws -> [String: String] {
        try Self.readDispatchRules(package)
    }

    static func readDispatchRules(_ package: GeoPackage) throws -> [String: String] {
        var rules: [String: String] = [:]
        for row in try package.features(in: TwinSchema.dispatchRules) {
            guard let category = row.values[0].textValue, let layer = row.values[1].textValue else {
                throw FormatError("\(TwinSchema.dispatchRules) row \(row.fid): category and layer_name must be text",
                                  at: SourceLocation(file: package.path, feature: Int(truncatingIfNeeded: row.fid)))
            }
            rules[category] = layer
        }
        return rules
    }

    // MARK: Validation

    /// Validates every layer version (``GridValidator``); a hierarchy layer against its parent
    /// layer (recorded on import, else the first layer of the parent kind), in the version in
    /// force when the child version starts.
    ///
    /// - Parameter options: the validator's tolerances.
    /// - Returns: one report per layer version, in import order; a layer with several versions is
    ///   named `name vN` in its reports.
    /// - Throws: ``FormatError`` for unreadable stored cells; `GeometryError`/`CRSError` when GEOS
    ///   or PROJ fail (problems of the cells are issues in the reports, not errors).
    public func validate(options: GridValidationOptions = GridValidationOptions()) throws -> [ValidationReport] {
        let records = try TwinLayerRecord.readAll(package)
        var loaded: [Int: GridLayer] = [:]
        func layer(_ i: Int) throws -> GridLayer {
            if let l = loaded[i] { return l }
            let l = try records[i].readCells(package).layer
            loaded[i] = l
            return l
        }
        var reports: [ValidationReport] = []
        for (i, record) in records.enumerated() {
            var parentIndex: Int?
            if let parentName = record.parentLayer
                ?? record.kind.parentKind.flatMap({ kind in records.first { $0.kind == kind }?.name }) {
                parentIndex = Self.version(of: parentName, in: records, inForceAt: record.validFrom)
            }
            var report = try GridValidator.validate(try layer(i), parent: try parentIndex.map(layer), options: options)
            if records.contains(where: { $0.name == record.name && $0.version != record.version }) { report.layer = record.label }
            reports.append(report)
        }
        return reports
    }

    /// The record index of `name`'s version in force at `t` (`nil` = the beginning of time),
    /// else its latest version.
    static func version(of name: String, in records: [TwinLayerRecord], inForceAt t: Int64?) -> Int? {
        let candidates = records.indices.filter { records[$0].name == name }
        let inForce = candidates.filter { i in t.map { records[i].isInForce(at: $0) } ?? (records[i].validFrom == nil) }
        return (inForce.isEmpty ? candidates : inForce).max { records[$0].version < records[$1].version }
    }

    // MARK: Merge

    /// Computes the merged grid of every epoch and stores it, replacing the previous merge.
    ///
    /// Epochs are the maximal intervals over which the set of layer versions in force is constant
    /// (``TwinEpoch``). Each epoch with at least one version is merged with ``GridMerger``; equal
    /// sets of versions are merged once. Everything is computed before anything is written, and
    /// written in one transaction.
    ///
    /// - Parameter options: the sliver threshold and snapping.
    /// - Returns: the epochs and each one's merge report.
    /// - Throws: `GeometryError` naming the layer and cell for an invalid cell (validate first),
    ///   `CRSError` if PROJ fails, ``StoreError`` when the rows cannot be written. The file is
    ///   unchanged then.
    /// - Complexity: one ``GridMerger/merge(layers:options:)`` per distinct set of versions.
    @discardableResult
    public func merge(options: MergeOptions = MergeOptions()) throws -> TwinMergeReport {
        let records = try TwinLayerRecord.readAll(package)
        let intervals = TwinEpochPlanner.epochs(of: records)
        var loaded: [Int: (layer: GridLayer, fids: [Int64])] = [:]
        var merged: [[Int]: GridMergeResult] = [:]
        for interval in intervals where !interval.versions.isEmpty && merged[interval.versions] == nil {
            var layers: [GridLayer] = []
            for i in interval.versions {
                if loaded[i] == nil { loaded[i] = try records[i].readCells(package) }
                layers.append(loaded[i]!.layer)
            }
            merged[interval.versions] = try GridMerger.merge(layers: layers, options: options)
        }

        var epochs: [TwinEpoch] = []
        var reports: [MergeReport?] = []
        rowsWritten = 0
        try package.withTransaction {
            let db = package.database
            try db.execute("DELETE FROM twin_merged_cell_layers")
            try db.execute("DELETE FROM twin_merged_cells")
            try db.execute("DELETE FROM twin_epochs")
            // The stored extent covered the old cells; the new rows set it again at commit.
            try db.execute("UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, max_y = NULL WHERE table_name = ?",
                           [.text(TwinSchema.mergedCells)])
            for (id, interval) in intervals.enumerated() {
                var versions = JSONObject()
                for i in interval.versions { versions[records[i].name] = .number(JSONNumber(records[i].version)) }
                func date(_ ms: Int64?) -> SQLiteValue { ms.map { .text(TwinTime.format($0)) } ?? .null }
                try package.insertRow(into: TwinSchema.epochs, values: [
                    .integer(Int64(id)), date(interval.from), date(interval.to), .text(JSONValue.object(versions).jsonText),
                ])
                epochs.append(TwinEpoch(id: id, validFrom: interval.from.map(TwinTime.date), validTo: interval.to.map(TwinTime.date),
                                        layerVersions: Dictionary(uniqueKeysWithValues: interval.versions.map { (records[$0].name, records[$0].version) })))
                guard let result = merged[interval.versions] else { reports.append(nil); continue }
                reports.append(result.report)
                for (index, cell) in result.grid.cells.enumerated() {
                    let fid = try package.insertFeature(into: TwinSchema.mergedCells, geometry: .multiPolygon(cell.geometry),
                                                        values: [.integer(Int64(id)), .integer(Int64(index)), .real(cell.areaM2)])
                    for (position, c) in cell.layerCells.enumerated() where c >= 0 {
                        let r = interval.versions[position]
                        let source = loaded[r]!
                        try package.insertRow(into: TwinSchema.mergedCellLayers, values: [
                            .integer(fid), .text(records[r].name), .integer(Int64(records[r].version)),
                            .integer(source.fids[Int(c)]), .text(source.layer.cells[Int(c)].code),
                        ])
                    }
                    try countRow()
                }
            }
            try TwinSchema.setMeta(package, "merged_through", String(records.map(\.fid).max() ?? 0))
        }
        return TwinMergeReport(epochs: epochs, reports: reports)
    }
}

/// What ``TwinBuilder/merge(options:)`` did: the epochs and each one's merge report.
public struct TwinMergeReport: Hashable, Sendable, CustomStringConvertible {
    /// The epochs, in time order.
    public var epochs: [TwinEpoch]
    /// Per epoch, the merge report; `nil` for an epoch in which no layer is in force.
    public var reports: [MergeReport?]

    public init(epochs: [TwinEpoch], reports: [MergeReport?]) {
        self.epochs = epochs
        self.reports = reports
    }

    /// The report of the latest epoch (the grid `Twin.locate` uses by default).
    public var latest: MergeReport? { reports.last ?? nil }

    /// One block per epoch: its interval, then its report.
    public var description: String {
        zip(epochs, reports).map { epoch, report in
            let from = epoch.validFrom.map { (try? TwinTime.milliseconds($0, what: "")).map(TwinTime.format) ?? "?" } ?? "the beginning"
            let to = epoch.validTo.map { (try? TwinTime.milliseconds($0, what: "")).map(TwinTime.format) ?? "?" } ?? "open end"
            let head = epochs.count > 1 ? "Epoch \(epoch.id) (\(from) to \(to)):\n" : ""
            return head + (report?.description ?? "no layer is in force.")
        }.joined(separator: "\n")
    }
}
