import TwinIndex

/// Tolerances of ``GridValidator``.
public struct GridValidationOptions: Hashable, Sendable {
    /// Overlaps, gaps and areas outside the parent at or below this many m² are not reported
    /// (digitising noise; 0.01 m² is a 10 cm × 10 cm square).
    public var areaToleranceM2: Double

    /// - Parameter areaToleranceM2: the reporting threshold in m² (default 0.01).
    public init(areaToleranceM2: Double = 0.01) {
        self.areaToleranceM2 = areaToleranceM2
    }
}

/// Checks that a grid layer is a usable partition, and that it nests in its parent layer.
///
/// Checks, each reported as ``GridIssue``s of its ``GridIssue/Kind``:
/// - **geometry**: empty cells; GEOS validity (`GEOSisValidDetail_r`) with its reason and position,
///   and what `GEOSMakeValid_r` would keep as a suggestion. Later checks use the repaired cell.
/// - **overlaps**: cell pairs whose bounding boxes meet (packed R-tree) and whose GEOS
///   intersection has more than the tolerance of area.
/// - **gaps**: holes of the union of all cells (areas enclosed by the layer that no cell
///   covers) above the tolerance, naming the cells around them.
/// - **codes**: duplicates, and the format for the kind (``CellCode/validate(_:for:)``).
/// - **hierarchy** (with a parent layer): each cell lies in one parent cell; area outside it above
///   the tolerance is a boundary crossing, no parent at all is ``GridIssue/Kind/outsideParent``;
///   when both kinds have standard codes, the code starts with the parent's code (a unit grid
///   code's first 12 digits are its 居村's code); a declared ``GridCell/parentCode`` agrees.
///
/// Areas are m² in the local metric projection (``CRS/localMetric(longitude:latitude:)``).
public enum GridValidator {
    /// Validates `layer`, and its nesting in `parent` when given.
    ///
    /// - Parameters:
    ///   - layer: the layer to check.
    ///   - parent: the layer of the level above (e.g. the 居村 layer for a unit grid layer), or `nil`.
    ///   - options: area tolerances.
    /// - Returns: the issues found; ``ValidationReport/isClean`` when there are none.
    /// - Throws: `GeometryError` or `CRSError` only when GEOS or PROJ fail on geometry they
    ///   accepted (bad cells are reported as issues, not thrown).
    /// - Complexity: O(n log n + k) GEOS overlays for n cells and k candidate pairs.
    public static func validate(_ layer: GridLayer, parent: GridLayer? = nil,
                                options: GridValidationOptions = GridValidationOptions()) throws -> ValidationReport {
        var issues: [GridIssue] = []
        let prepared = try GridPreparedLayer(layer, issues: &issues)
        let tolerance = options.areaToleranceM2
        try checkOverlaps(prepared, tolerance: tolerance, into: &issues)
        try checkGaps(prepared, tolerance: tolerance, into: &issues)
        checkCodes(layer, into: &issues)
        if let parent {
            var parentIssues: [GridIssue] = []  // the parent's own problems belong to its own report
            let preparedParent = try GridPreparedLayer(parent, issues: &parentIssues, metric: prepared.metric)
            try checkHierarchy(prepared, in: preparedParent, tolerance: tolerance, into: &issues)
        }
        let order = Dictionary(uniqueKeysWithValues: GridIssue.Kind.allCases.enumerated().map { ($1, $0) })
        let sorted = issues.enumerated().sorted { a, b in
            let ka = order[a.element.kind]!, kb = order[b.element.kind]!
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        return ValidationReport(layer: layer.name, parentLayer: parent?.name, cellCount: layer.cells.count, issues: sorted)
    }

    // MARK: Overlaps

    static func checkOverlaps(_ p: GridPreparedLayer, tolerance: Double, into issues: inout [GridIssue]) throws {
        let layer = p.layer
        for i in p.usable {
            for j in p.candidates(intersecting: p.boxes[i]) where j > i {
                let shared = try p.geometry[i]!.intersection(p.geometry[j]!)
                let area = try p.metric.area(shared)
                guard area > tolerance else { continue }
                let a = layer.cells[i], b = layer.cells[j]
                issues.append(GridIssue(
                    kind: .overlap, layer: layer.name, cells: [a.code, b.code], areaM2: area,
                    location: try Geometry.multiPolygon(MultiPolygon(shared.polygonalParts)).pointOnSurface(),
                    message: "cells \(a.label) and \(b.label) overlap by \(gridArea(area))",
                    suggestion: "move the shared boundary so that the overlapping area belongs to exactly one of the two cells"))
            }
        }
    }

    // MARK: Gaps

    static func checkGaps(_ p: GridPreparedLayer, tolerance: Double, into issues: inout [GridIssue]) throws {
        let parts = p.usable.map { p.geometry[$0]! }
        guard parts.count > 1 else { return }
        let union = try Geometry.unaryUnion(parts)
        for polygon in union.polygonalParts {
            for hole in polygon.holes {
                let area = try p.metric.ringArea(hole)
                guard area > tolerance else { continue }
                let gap = Geometry.polygon(Polygon(exterior: hole))
                var box = BoundingBox.empty
                for c in hole { box.extend(by: c) }
                var around: [Int] = []
                for j in p.candidates(intersecting: box) where try p.geometry[j]!.intersects(gap) { around.append(j) }
                around.sort()
                let codes = around.map { p.layer.cells[$0].code }
                let names = around.prefix(6).map { p.layer.cells[$0].label }.joined(separator: ", ")
                    + (around.count > 6 ? " and \(around.count - 6) more" : "")
                issues.append(GridIssue(
                    kind: .gap, layer: p.layer.name, cells: codes, areaM2: area, location: try gap.pointOnSurface(),
                    message: "a gap of \(gridArea(area)) that no cell covers, surrounded by \(names)",
                    suggestion: "extend one of the surrounding cells over the gap, or add a cell for it"))
            }
        }
    }

    // MARK: Codes

    static func checkCodes(_ layer: GridLayer, into issues: inout [GridIssue]) {
        var byCode: [String: [Int]] = [:]
        for (i, cell) in layer.cells.enumerated() { byCode[cell.code, default: []].append(i) }
        for (i, cell) in layer.cells.enumerated() {
            if let users = byCode[cell.code], users.count > 1, users[0] == i {
                let labels = users.map { "#\($0)" + (layer.cells[$0].name.map { " \($0)" } ?? "") }.joined(separator: ", ")
                issues.append(GridIssue(
                    kind: .duplicateCode, layer: layer.name, cells: users.map { _ in cell.code },
                    location: try? Geometry.multiPolygon(layer.cells[users[1]].geometry).pointOnSurface(),
                    message: "code \(cell.code) is used by \(users.count) cells (\(labels))",
                    suggestion: "give each cell its own code; if they are one cell, merge their geometries"))
            }
            do {
                try CellCode.validate(cell.code, for: layer.kind)
            } catch {
                issues.append(GridIssue(
                    kind: .codeFormat, layer: layer.name, cells: [cell.code],
                    location: try? Geometry.multiPolygon(cell.geometry).pointOnSurface(),
                    message: "cell #\(i)\(cell.name.map { " \($0)" } ?? ""): \(error.message)",
                    suggestion: formatSuggestion(layer.kind)))
            }
        }
    }

    static func formatSuggestion(_ kind: GridLayerKind) -> String {
        switch kind {
        case .subdistrict: "use the 9-digit code: 6-digit district + 街道 001–099 or 镇 100–199"
        case .community: "use the 12-digit statistical code: 9-digit 街镇 code + 居委 001–199 or 村委 200–399"
        case .unitGrid: "use the 15-digit code: the 12-digit 居村 code + sequence 001–999 (UnitCodeGenerator assigns them)"
        case .department, .managementArea: "give the cell a non-empty code"
        }
    }

    // MARK: Hierarchy

    static func checkHierarchy(_ child: GridPreparedLayer, in parent: GridPreparedLayer, tolerance: Double,
                               into issues: inout [GridIssue]) throws {
        let prefixLength: Int? = {
            guard let p = parent.layer.kind.standardCodeLength, let c = child.layer.kind.standardCodeLength, c > p else { return nil }
            return p
        }()
        for i in child.usable {
            let cell = child.layer.cells[i]
            let geometry = child.geometry[i]!
            var shares: [(index: Int, area: Double)] = []
            for j in parent.candidates(intersecting: child.boxes[i]) {
                let area = try child.metric.area(try geometry.intersection(parent.geometry[j]!))
                if area > tolerance { shares.append((j, area)) }
            }
            shares.sort { $0.area != $1.area ? $0.area > $1.area : $0.index < $1.index }
            guard let main = shares.first else {
                issues.append(GridIssue(
                    kind: .outsideParent, layer: child.layer.name, cells: [cell.code], areaM2: child.areas[i],
                    location: try geometry.pointOnSurface(),
                    message: "cell \(cell.label) lies in no cell of the parent layer \(parent.layer.name)",
                    suggestion: "move the cell inside the \(parent.layer.name) layer, or extend the parent layer over it"))
                continue
            }
            let parentCell = parent.layer.cells[main.index]
            let outside = child.areas[i] - main.area
            if outside > tolerance {
                let others = shares.dropFirst().map { parent.layer.cells[$0.index] }
                let spill = others.isEmpty ? "" : " (into \(others.map(\.label).joined(separator: ", ")))"
                let rest = try geometry.difference(parent.geometry[main.index]!)
                issues.append(GridIssue(
                    kind: .crossesBoundary, layer: child.layer.name, cells: [cell.code, parentCell.code] + others.map(\.code),
                    areaM2: outside,
                    location: try Geometry.multiPolygon(MultiPolygon(rest.polygonalParts)).pointOnSurface(),
                    message: "cell \(cell.label) crosses the boundary of its \(parent.layer.name) cell \(parentCell.label): "
                        + "\(gridArea(outside)) lie outside it\(spill)",
                    suggestion: "redraw the cell along the \(parent.layer.name) boundary, or split it at that boundary"))
            }
            if let prefixLength, cell.code.count >= prefixLength,
               String(cell.code.prefix(prefixLength)) != parentCell.code {
                issues.append(GridIssue(
                    kind: .codePrefixMismatch, layer: child.layer.name, cells: [cell.code, parentCell.code],
                    location: try geometry.pointOnSurface(),
                    message: "cell \(cell.label) lies in \(parent.layer.name) cell \(parentCell.label) but its code starts with "
                        + "\(cell.code.prefix(prefixLength)), not \(parentCell.code)",
                    suggestion: "recode the cell with the prefix \(parentCell.code) (or move it into the cell its code names)"))
            }
            if let declared = cell.parentCode, declared != parentCell.code {
                issues.append(GridIssue(
                    kind: .parentCodeMismatch, severity: .warning, layer: child.layer.name, cells: [cell.code, parentCell.code],
                    location: try geometry.pointOnSurface(),
                    message: "cell \(cell.label) declares parent \(declared) but lies in \(parent.layer.name) cell \(parentCell.label)",
                    suggestion: "correct the parent code attribute"))
            }
        }
    }
}

/// A layer made ready for checks: each usable cell's valid geometry (repaired when needed), its
/// box, its area in m², and an R-tree over the boxes.
struct GridPreparedLayer {
    let layer: GridLayer
    let metric: GridMetric
    /// Valid geometry per cell; `nil` for a cell left out (empty, or unreadable by GEOS).
    let geometry: [Geometry?]
    let boxes: [BoundingBox]
    let areas: [Double]
    /// Cells with geometry, ascending.
    let usable: [Int]
    private let tree: PackedRTree

    /// Prepares `layer`, appending empty and invalid-geometry issues to `issues`.
    init(_ layer: GridLayer, issues: inout [GridIssue], metric: GridMetric? = nil) throws {
        self.layer = layer
        var extent = BoundingBox.empty
        for cell in layer.cells { extent = extent.union(cell.geometry.box) }
        let metric = try metric ?? GridMetric(around: extent)
        self.metric = metric
        var geometry: [Geometry?] = []
        var boxes: [BoundingBox] = []
        var areas: [Double] = []
        var usable: [Int] = []
        for (i, cell) in layer.cells.enumerated() {
            var g: Geometry? = .multiPolygon(cell.geometry)
            if cell.geometry.isEmpty {
                issues.append(GridIssue(kind: .emptyGeometry, layer: layer.name, cells: [cell.code],
                                        message: "cell #\(i) \(cell.label) has an empty geometry",
                                        suggestion: "draw the cell's area, or remove the cell"))
                g = nil
            } else {
                do {
                    let validity = try g!.validity()
                    if !validity.isValid {
                        let repaired = Geometry.multiPolygon(MultiPolygon(try g!.makeValid().polygonalParts))
                        let kept = try metric.area(repaired)
                        let parts = repaired.polygonalParts.count
                        issues.append(GridIssue(
                            kind: .invalidGeometry, layer: layer.name, cells: [cell.code], areaM2: kept, location: validity.location,
                            message: "cell \(cell.label) is invalid: \(validity.reason ?? "invalid geometry")",
                            suggestion: "redraw the ring so it does not cross itself; make-valid would keep \(gridArea(kept)) "
                                + "in \(parts) part\(parts == 1 ? "" : "s")"))
                        g = parts == 0 ? nil : repaired
                    }
                } catch let error as GeometryError {
                    issues.append(GridIssue(kind: .invalidGeometry, layer: layer.name, cells: [cell.code],
                                            message: "cell \(cell.label) cannot be checked: \(error.message)",
                                            suggestion: "fix the rings: closed, at least 4 positions, finite coordinates"))
                    g = nil
                }
            }
            geometry.append(g)
            boxes.append(g?.boundingBox ?? .empty)
            areas.append(try g.map { try metric.area($0) } ?? 0)
            if g != nil { usable.append(i) }
        }
        var builder = try PackedRTree.Builder(capacity: usable.count)
        for i in usable { _ = try builder.add(boxes[i].indexBox) }
        tree = try builder.finish()
        self.geometry = geometry
        self.boxes = boxes
        self.areas = areas
        self.usable = usable
    }

    /// Cells whose box meets `box` (closed), ascending.
    func candidates(intersecting box: BoundingBox) -> [Int] {
        guard !box.isEmpty else { return [] }
        return tree.search(box.indexBox).map { usable[$0] }.sorted()
    }
}
