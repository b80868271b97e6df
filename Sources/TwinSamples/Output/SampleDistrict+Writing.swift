import TwinGeo

extension SampleDistrict {
    /// The files ``write(to:)`` creates, relative to the output directory.
    public static let fileNames: [String] =
        ["layers/district.geojson"]
        + HierarchyLevel.allCases.map { "layers/\($0.layerName).geojson" }
        + Department.allCases.map { "layers/\($0.layerName).geojson" }
        + ["assets/buildings.geojson", "assets/pipes.geojson", "assets/cameras.csv", "assets/cameras.geojson",
           "assets/sensors.csv", "events.csv", "bad-rows.json", "dispatch-rules.csv", "summary.json"]
        + addressFileNames

    /// Writes the district as files under `directory` (created if missing; files are replaced).
    ///
    /// * `layers/district.geojson`: the outline (`code` 310107, `name` 普陀区).
    /// * `layers/{jiezhen,pianqu,jucun,unit}.geojson`: properties `code`, `name`, `level`,
    ///   `parent_code` and the codes of every enclosing level (`jiezhen_code`, `pianqu_code`,
    ///   `jucun_code`), plus `type` (街道/镇, 居委/村委) where it applies.
    /// * `layers/{police,construction,governance,greening,market,housing}.geojson`: `code`
    ///   (`JW-0001` …), `name`, `department` (Chinese), `layer`.
    /// * `assets/buildings.geojson`, `assets/pipes.geojson`, `assets/cameras.csv` and `.geojson`,
    ///   `assets/sensors.csv`.
    /// * `events.csv`: ``EventRow/columns``, RFC 4180, CRLF; `bad-rows.json`: one object per bad
    ///   row (`id`, `record`, `line`, `kind`, `reason`, `expected`, raw `lon`/`lat` or null).
    /// * `dispatch-rules.csv`: `category,layer,department`; `summary.json`: seed, scale, counts.
    /// * `addresses/` and `events/event_addresses.csv`: the address book, see ``addressFileNames``.
    ///
    /// Everything is streamed feature by feature and row by row.
    /// - Parameter directory: the output directory.
    /// - Throws: `IOFileError` when a directory or file cannot be created or written.
    public func write(to directory: String) throws {
        let root = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        try TextFileWriter.makeDirectories(root + "/layers")
        try TextFileWriter.makeDirectories(root + "/assets")

        let district = try GeoJSONWriter(path: root + "/layers/district.geojson")
        try district.write(GeoJSONFeature(id: .string(SampleDistrict.districtCode), geometry: outline,
                                          properties: ["code": .string(SampleDistrict.districtCode), "name": .string("普陀区")]))
        try district.finish()
        for layer in layers { try writeLayer(layer, to: root + "/layers/\(layer.name).geojson") }
        try writeBuildings(root + "/assets/buildings.geojson")
        try writePipes(root + "/assets/pipes.geojson")
        try writeCameras(csv: root + "/assets/cameras.csv", geoJSON: root + "/assets/cameras.geojson")
        try writeSensors(root + "/assets/sensors.csv")
        try writeEvents(root + "/events.csv", manifest: root + "/bad-rows.json")
        try writeAddressBook(root: root)

        let rules = try TextFileWriter(path: root + "/dispatch-rules.csv")
        try rules.writeRecord(["category", "layer", "department"])
        for rule in dispatchRules { try rules.writeRecord([rule.category, rule.department.layerName, rule.department.chineseName]) }
        try rules.close()

        var counts: [(String, JSONValue)] = layers.map { ($0.name, .number(JSONNumber($0.cells.count))) }
        counts += [("buildings", .number(JSONNumber(buildings.count))), ("pipes", .number(JSONNumber(pipes.count))),
                   ("cameras", .number(JSONNumber(cameras.count))), ("sensors", .number(JSONNumber(sensors.count))),
                   ("event_rows", .number(JSONNumber(events.count))), ("bad_rows", .number(JSONNumber(badRows.count)))]
        let pipeKilometres = (pipes.reduce(0) { $0 + $1.lengthMetres } / 10).rounded() / 100
        let summary: JSONObject = [
            "district_code": .string(SampleDistrict.districtCode), "seed": .string(String(seed)),
            "scale": .number(JSONNumber(configuration.scale)!), "counts": .object(JSONObject(counts)),
            "pipe_km": .number(JSONNumber(pipeKilometres)!),
        ]
        let file = try TextFileWriter(path: root + "/summary.json")
        try file.write(JSONValue.object(summary).jsonText + "\n")
        try file.close()
    }

    private func writeLayer(_ layer: SampleLayer, to path: String) throws {
        let writer = try GeoJSONWriter(path: path)
        for cell in layer.cells {
            var p = JSONObject()
            p["code"] = .string(cell.code)
            p["name"] = .string(cell.name)
            switch layer.kind {
            case .hierarchy(let level):
                p["level"] = .string(level.rawValue)
                p["parent_code"] = .string(cell.parentCode ?? SampleDistrict.districtCode)
                for (key, code) in zip(["jiezhen_code", "pianqu_code", "jucun_code"], cell.ancestors) { p[key] = .string(code) }
            case .department(let department):
                p["department"] = .string(department.chineseName)
                p["layer"] = .string(department.layerName)
            }
            for (key, value) in cell.attributes where p[key] == nil { p[key] = .string(value) }
            try writer.write(GeoJSONFeature(id: .string(cell.code), geometry: cell.geometry, properties: p))
        }
        try writer.finish()
    }

    private static func number(_ v: Double) -> JSONValue { .number(JSONNumber(v) ?? JSONNumber(0)) }

    private func writeBuildings(_ path: String) throws {
        let writer = try GeoJSONWriter(path: path)
        for b in buildings {
            let p: JSONObject = [
                "id": .string(b.id), "code": .string(b.code), "address": .string(b.address), "road": .string(b.road),
                "lane": .number(JSONNumber(b.lane)), "number": .number(JSONNumber(b.number)),
                "block": b.block.map { .number(JSONNumber($0)) } ?? .null, "floors": .number(JSONNumber(b.floors)),
                "height": SampleDistrict.number(b.height), "use": .string(b.use), "year_built": .number(JSONNumber(b.yearBuilt)),
                "unit_code": .string(b.unitCode),
            ]
            try writer.write(GeoJSONFeature(id: .string(b.id), geometry: .polygon(b.footprint), properties: p))
        }
        try writer.finish()
    }

    private func writePipes(_ path: String) throws {
        let writer = try GeoJSONWriter(path: path)
        for pipe in pipes {
            let p: JSONObject = [
                "id": .string(pipe.id), "code": .string(pipe.code), "network": .string(pipe.network.rawValue),
                "network_name": .string(pipe.network.chineseName), "road": .string(pipe.road),
                "diameter_mm": .number(JSONNumber(pipe.diameterMillimetres)), "depth_m": SampleDistrict.number(pipe.depthMetres),
                "material": .string(pipe.material), "year_laid": .number(JSONNumber(pipe.yearLaid)),
                "length_m": SampleDistrict.number(pipe.lengthMetres),
            ]
            try writer.write(GeoJSONFeature(id: .string(pipe.id), geometry: .lineString(pipe.path), properties: p))
        }
        try writer.finish()
    }

    private func writeCameras(csv: String, geoJSON: String) throws {
        let table = try TextFileWriter(path: csv)
        let writer = try GeoJSONWriter(path: geoJSON)
        try table.writeRecord(["id", "code", "name", "lon", "lat", "heading", "fov", "range_m", "scenes", "status"])
        for c in cameras {
            try table.writeRecord([c.id, c.code, c.name, NumberText.text(c.location.x), NumberText.text(c.location.y),
                                   NumberText.text(c.heading), NumberText.text(c.fieldOfView), NumberText.text(c.rangeMetres),
                                   c.scenes.joined(separator: ";"), c.status])
            let p: JSONObject = [
                "id": .string(c.id), "code": .string(c.code), "name": .string(c.name), "heading": SampleDistrict.number(c.heading),
                "fov": SampleDistrict.number(c.fieldOfView), "range_m": SampleDistrict.number(c.rangeMetres),
                "scenes": .array(c.scenes.map { .string($0) }), "status": .string(c.status),
            ]
            try writer.write(GeoJSONFeature(id: .string(c.id), geometry: .point(Point(c.location)), properties: p))
        }
        try table.close()
        try writer.finish()
    }

    private func writeSensors(_ path: String) throws {
        let table = try TextFileWriter(path: path)
        try table.writeRecord(["id", "code", "type", "type_name", "lon", "lat", "status", "last_reading"])
        for s in sensors {
            try table.writeRecord([s.id, s.code ?? "", s.type.rawValue, s.type.chineseName, NumberText.text(s.location.x),
                                   NumberText.text(s.location.y), s.status, s.lastReading])
        }
        try table.close()
    }

    private func writeEvents(_ path: String, manifest: String) throws {
        let table = try TextFileWriter(path: path)
        try table.writeRecord(EventRow.columns)
        for row in events { try table.write(row.csvText) }
        try table.close()

        let file = try TextFileWriter(path: manifest)
        try file.write("{\"file\":\"events.csv\",\"columns\":\(EventRow.columns.count),\"rows\":[")
        for (k, row) in badRows.enumerated() {
            let kind = row.badKind!
            let object: JSONObject = [
                "id": .string(row.id), "record": .number(JSONNumber(row.record)), "line": .number(JSONNumber(row.line)),
                "kind": .string(kind.rawValue), "reason": .string(kind.reason), "expected": .string(kind.expected),
                "lon": row.fields.count > 2 ? .string(row.fields[2]) : .null,
                "lat": row.fields.count > 3 ? .string(row.fields[3]) : .null,
            ]
            try file.write((k == 0 ? "\n" : ",\n") + JSONValue.object(object).jsonText)
        }
        try file.write("\n]}\n")
        try file.close()
    }
}
