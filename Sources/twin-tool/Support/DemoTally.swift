import TwinGeo
import TwinSamples

/// Counts over the geocoded events CSV for the demo summary: events per 街镇, per responsible
/// department, rows in no cell, and a sample of positions for the map.
struct DemoTally {
    /// 街镇 name (or code) → rows.
    var perJiezhen: [String: Int] = [:]
    /// Responsible layer → rows with a responsible cell; `"<layer> (no cell)"` for rows whose rule
    /// names a layer without a cell there, `"(no rule)"` for categories without a rule.
    var perDepartment: [String: Int] = [:]
    /// Output rows located in no layer (a valid position outside the district).
    var outside = 0
    /// Up to the requested number of WGS84 positions, spread over the file.
    var dots: [Coordinate] = []

    /// Reads `path`, the output of ``BatchGeocoder`` over the sample `events.csv`.
    ///
    /// - Throws: `IOFileError` / `FormatError` naming the file when it cannot be read or lacks a column.
    static func read(_ path: String, twin: Twin, rowsOut: Int, dotLimit: Int) throws -> DemoTally {
        var tally = DemoTally()
        let reader = try CSVReader(path: path)
        let header = try CSVHeader.read(from: reader)
        let layerColumns = try twin.layerNames.map { name in try header.position(of: name + "_cell") ?? header.require(name) }
        let jiezhenLayer = twin.layerIndex(named: HierarchyLevel.jiezhen.layerName)
        var jiezhenNames: [String: String] = [:]
        if let j = jiezhenLayer { for cell in twin.layers[j].cells { jiezhenNames[cell.code] = cell.name ?? cell.code } }
        let responsibleLayer = header.position(of: "responsible_layer"), responsibleCell = header.position(of: "responsible_cell")
        let lon = try header.require("lon"), lat = try header.require("lat"), crsColumn = header.position(of: "crs")
        let step = max(1, rowsOut / max(dotLimit, 1))
        var transforms: [String: CoordinateTransform] = [:]
        var row = 0
        while let chunk = try reader.readChunk(maxRecords: 65_536) {
            for r in 0 ..< chunk.count {
                defer { row += 1 }
                guard chunk.fieldCount(r) == header.count else { continue }
                if layerColumns.allSatisfy({ chunk.fieldRange(r, $0).isEmpty }) { tally.outside += 1; continue }
                if let j = jiezhenLayer {
                    let code = chunk.string(r, layerColumns[j])
                    if !code.isEmpty { tally.perJiezhen[jiezhenNames[code] ?? code, default: 0] += 1 }
                }
                if let responsibleLayer, let responsibleCell {
                    let layer = chunk.string(r, responsibleLayer)
                    let name = Department(rawValue: layer).map { "\(layer) \($0.chineseName)" } ?? layer
                    let key = layer.isEmpty ? "(no rule)" : chunk.fieldRange(r, responsibleCell).isEmpty ? name + " (no cell)" : name
                    tally.perDepartment[key, default: 0] += 1
                }
                if dotLimit > 0, row % step == 0, tally.dots.count < dotLimit,
                   let x = Double(chunk.string(r, lon)), let y = Double(chunk.string(r, lat)) {
                    let crsName = crsColumn.map { chunk.string(r, $0) } ?? ""
                    if transforms[crsName] == nil, let crs = crsName.isEmpty ? .wgs84 : CRS(name: crsName) {
                        transforms[crsName] = try? CoordinateTransform(from: crs, to: .wgs84)
                    }
                    if let p = try? transforms[crsName]?.transform(Coordinate(x, y)), p.isFinite { tally.dots.append(p) }
                }
            }
        }
        return tally
    }
}
