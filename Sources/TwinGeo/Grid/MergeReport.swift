/// Options of ``GridMerger/merge(layers:options:)``.
public struct MergeOptions: Hashable, Sendable {
    /// Atomic cells smaller than this many m² are slivers: the trace of a shared boundary that
    /// two departments drew a little differently.
    public var sliverAreaM2: Double
    /// Merge every sliver into its neighbour with the longest shared edge (the sliver takes the
    /// neighbour's cells in every layer), so that no sliver remains. A sliver with no neighbour at
    /// all (an island of the merged area) cannot be merged: it stays, reported with `snapped == false`.
    public var snapSlivers: Bool

    /// - Parameters:
    ///   - sliverAreaM2: the sliver threshold in m² (default 50).
    ///   - snapSlivers: whether to merge slivers into their neighbours (default `false`: report only).
    public init(sliverAreaM2: Double = 50, snapSlivers: Bool = false) {
        self.sliverAreaM2 = sliverAreaM2
        self.snapSlivers = snapSlivers
    }
}

/// An atomic cell of the overlay smaller than the sliver threshold.
public struct MergeSliver: Hashable, Sendable, CustomStringConvertible {
    /// The sliver's area in m².
    public var areaM2: Double
    /// A point inside the sliver (lon, lat).
    public var location: Coordinate
    /// The sliver's cells per layer (-1 none), before any snapping.
    public var layerCells: [Int32]
    /// The names of the layers whose cell differs between the sliver and the proposed neighbour:
    /// the layers whose boundaries disagree there.
    public var disagreeingLayers: [String]
    /// The proposed neighbour's cells per layer (the tuple snapping gives the sliver); `nil` for
    /// a sliver with no neighbour (an island).
    public var neighbourLayerCells: [Int32]?
    /// The length in metres of the edge shared with the proposed neighbour.
    public var sharedEdgeMetres: Double
    /// The index in the returned ``MergedGrid/cells`` of the atomic cell holding the sliver's area
    /// (the sliver itself, or with snapping the cell it was merged into).
    public var atomicCell: Int
    /// The index in the returned grid of the neighbour (the cell it was merged into when snapped).
    public var neighbourCell: Int?
    /// Whether the sliver was merged into the neighbour.
    public var snapped: Bool

    public var description: String {
        var s = "sliver of \(gridArea(areaM2)) near \(gridFormat(location))"
        if disagreeingLayers.isEmpty {
            s += ": no neighbour to merge into"
        } else {
            s += ": boundaries of \(disagreeingLayers.joined(separator: ", ")) disagree here"
            if let neighbourCell {
                s += snapped ? "; merged into atomic cell \(neighbourCell)"
                             : "; proposed: merge into atomic cell \(neighbourCell) (shared edge \(gridFixed(sharedEdgeMetres, 1)) m)"
            }
        }
        return s + "."
    }

    /// The sliver as a JSON object.
    public var json: JSONValue {
        func tuple(_ t: [Int32]) -> JSONValue { .array(t.map { .number(JSONNumber(Int($0))) }) }
        var o = JSONObject()
        o["areaM2"] = JSONNumber(areaM2).map(JSONValue.number) ?? .null
        if let x = JSONNumber(location.x), let y = JSONNumber(location.y) { o["location"] = .array([.number(x), .number(y)]) }
        o["layerCells"] = tuple(layerCells)
        o["disagreeingLayers"] = .array(disagreeingLayers.map(JSONValue.string))
        o["neighbourLayerCells"] = neighbourLayerCells.map(tuple) ?? .null
        o["sharedEdgeMetres"] = JSONNumber(sharedEdgeMetres).map(JSONValue.number) ?? .null
        o["atomicCell"] = .number(JSONNumber(atomicCell))
        o["neighbourCell"] = neighbourCell.map { .number(JSONNumber($0)) } ?? .null
        o["snapped"] = .bool(snapped)
        return .object(o)
    }
}

/// What a merge did and what the departments should fix.
public struct MergeReport: Hashable, Sendable, CustomStringConvertible {
    /// The merged layers' names.
    public var layerNames: [String]
    /// Faces of the noded overlay (before grouping).
    public var faceCount: Int
    /// Faces dropped because no layer has a cell there (holes enclosed by the linework).
    public var droppedFaceCount: Int
    /// Atomic cells in the result.
    public var atomicCellCount: Int
    /// Total area of the result in m².
    public var totalAreaM2: Double
    /// Per layer (order of ``layerNames``), the area in m² of the result that the layer does not
    /// cover: gaps in the layer, or a layer that covers less of the district than the others.
    public var uncoveredAreaM2: [Double]
    /// Slivers, smallest first.
    public var slivers: [MergeSliver]
    /// The sliver threshold used.
    public var sliverAreaM2: Double

    /// A summary line, then one line per sliver and per layer with uncovered area.
    public var description: String {
        var lines = ["Merged \(layerNames.count) layers (\(layerNames.joined(separator: ", "))): \(atomicCellCount) atomic cells "
            + "from \(faceCount) faces, \(gridArea(totalAreaM2)); \(slivers.count) slivers below \(gridArea(sliverAreaM2))"
            + (slivers.contains(where: \.snapped) ? ", \(slivers.filter(\.snapped).count) snapped." : ".")]
        for (name, area) in zip(layerNames, uncoveredAreaM2) where area > 0 {
            lines.append("layer \(name) has no cell over \(gridArea(area)) of the merged area.")
        }
        lines += slivers.map(\.description)
        return lines.joined(separator: "\n")
    }

    /// The report as JSON.
    public var json: JSONValue {
        var o = JSONObject()
        o["layers"] = .array(layerNames.map(JSONValue.string))
        o["faceCount"] = .number(JSONNumber(faceCount))
        o["droppedFaceCount"] = .number(JSONNumber(droppedFaceCount))
        o["atomicCellCount"] = .number(JSONNumber(atomicCellCount))
        o["totalAreaM2"] = JSONNumber(totalAreaM2).map(JSONValue.number) ?? .null
        o["uncoveredAreaM2"] = .array(uncoveredAreaM2.map { JSONNumber($0).map(JSONValue.number) ?? .null })
        o["sliverAreaM2"] = JSONNumber(sliverAreaM2).map(JSONValue.number) ?? .null
        o["slivers"] = .array(slivers.map(\.json))
        return .object(o)
    }

    /// ``json`` as compact text.
    public var jsonText: String { json.jsonText }
}

/// The result of ``GridMerger/merge(layers:options:)``.
public struct GridMergeResult: Hashable, Sendable {
    /// The merged grid.
    public var grid: MergedGrid
    /// What was found and done.
    public var report: MergeReport
}
