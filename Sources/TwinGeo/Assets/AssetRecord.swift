/// One record of an asset file (GeoJSON properties or a CSV row), with strict typed access:
/// each accessor throws an ``AssetError`` naming the field when the value is of the wrong kind.
struct AssetRecord {
    enum Field {
        case text(String)
        case json(JSONValue)
    }

    var fields: [String: Field]

    private func bad(_ name: String, _ what: String) -> AssetError {
        AssetError(.format, "field \(name): \(what)", at: SourceLocation(field: name))
    }

    /// Text; a JSON number is given as written; empty text, JSON null and a missing field are `nil`.
    func string(_ name: String) throws(AssetError) -> String? {
        switch fields[name] {
        case nil, .json(.null)?: return nil
        case .text(let s)?: return s.isEmpty ? nil : s
        case .json(.string(let s))?: return s.isEmpty ? nil : s
        case .json(.number(let n))?:
            if n.text.hasSuffix(".0") { return String(n.text.dropLast(2)) }
            return n.text
        case .json(let v)?: throw bad(name, "expected text, found a \(v.typeName)")
        }
    }

    /// A finite decimal; `nil` when absent unless `required`.
    func double(_ name: String, required: Bool = false) throws(AssetError) -> Double? {
        let value: Double?
        switch fields[name] {
        case nil, .json(.null)?: value = nil
        case .text(let s)?:
            if s.trimmingWhitespace().isEmpty { value = nil } else {
                guard let v = AssetFieldText.decimal(s) else { throw bad(name, "\"\(s)\" is not a decimal number") }
                value = v
            }
        case .json(.number(let n))?:
            guard n.value.isFinite else { throw bad(name, "\(n.text) is out of range") }
            value = n.value
        case .json(.string(let s))?:
            guard let v = AssetFieldText.decimal(s) else { throw bad(name, "\"\(s)\" is not a decimal number") }
            value = v
        case .json(let v)?: throw bad(name, "expected a number, found a \(v.typeName)")
        }
        if required && value == nil { throw bad(name, "the value is missing") }
        return value
    }

    /// An integer (a JSON number must be integral).
    func int(_ name: String) throws(AssetError) -> Int? {
        switch fields[name] {
        case .text(let s)? where !s.trimmingWhitespace().isEmpty:
            guard let v = AssetFieldText.integer(s) else { throw bad(name, "\"\(s)\" is not an integer") }
            return v
        case .json(.number(let n))?:
            guard n.value == n.value.rounded(), abs(n.value) < 1e15 else { throw bad(name, "\(n.text) is not an integer") }
            return Int(n.value)
        case .json(.string(let s))?:
            guard let v = AssetFieldText.integer(s) else { throw bad(name, "\"\(s)\" is not an integer") }
            return v
        default:
            _ = try double(name)  // refuses booleans, arrays, objects
            return nil
        }
    }

    /// A list of texts: a JSON array of strings, or `a;b;c` text.
    func strings(_ name: String) throws(AssetError) -> [String] {
        switch fields[name] {
        case .json(.array(let items))?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw bad(name, "expected an array of texts, found a \(item.typeName) in it") }
                out.append(s)
            }
            return out
        default:
            guard let s = try string(name) else { return [] }
            return s.split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        }
    }

    /// The asset this record describes.
    func asset(_ kind: AssetKind, geometry: Geometry, featureID: String?) throws(AssetError) -> Asset {
        if let declared = try string("kind") {
            guard let k = AssetKind(name: declared) else { throw bad("kind", "unknown asset kind \"\(declared)\"") }
            guard k == kind else { throw bad("kind", "the record is a \(k), not a \(kind)") }
        }
        guard let id = try string("id") ?? featureID else { throw bad("id", "the asset id is missing") }
        let code = try string("code")
        switch kind {
        case .building:
            let height = try double("height")
            let heightM = try double("height_m")
            return .building(BuildingAsset(
                id: id, code: code, footprint: geometry, road: try string("road") ?? "", lane: try int("lane"),
                number: try int("number"), block: try int("block"), floors: try int("floors"),
                heightMetres: height ?? heightM, use: try string("use") ?? ""))
        case .pipe:
            guard let name = try string("network") else { throw bad("network", "the pipe network is missing") }
            guard let network = AssetPipeNetwork(name: name) else {
                throw bad("network", "unknown network \"\(name)\" (one of \(AssetPipeNetwork.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .pipe(PipeAsset(id: id, code: code, path: geometry, network: network,
                                   diameterMillimetres: try double("diameter_mm"), depthMetres: try double("depth_m"),
                                   owner: try string("owner") ?? ""))
        case .camera:
            guard case .point(let p) = geometry, let c = p.coordinate else {
                throw AssetError(.format, "a camera needs a Point, not \(geometry.typeName)", at: SourceLocation(field: "geometry"))
            }
            return .camera(CameraAsset(id: id, code: code, name: try string("name") ?? "", location: c,
                                       heading: try double("heading", required: true)!, fieldOfView: try double("fov", required: true)!,
                                       rangeMetres: try double("range_m", required: true)!, scenes: try strings("scenes"),
                                       status: try string("status") ?? ""))
        case .sensor:
            guard case .point(let p) = geometry, let c = p.coordinate else {
                throw AssetError(.format, "a sensor needs a Point, not \(geometry.typeName)", at: SourceLocation(field: "geometry"))
            }
            guard let type = try string("type") else { throw bad("type", "the sensor type is missing") }
            return .sensor(SensorAsset(id: id, code: code, type: type, location: c, status: try string("status") ?? "",
                                       lastReading: try string("last_reading")))
        }
    }
}
