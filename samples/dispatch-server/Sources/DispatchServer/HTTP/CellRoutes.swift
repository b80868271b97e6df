import Hummingbird
import NIOCore
import TwinGeo

/// `GET /v1/cells/{layer}/{code}`: one cell of a layer in force, as a GeoJSON Feature.
///
/// ```json
/// {"type":"Feature","id":"JW0012","geometry":{"type":"MultiPolygon",…},
///  "properties":{"layer":"警务","kind":"department","code":"JW0012","name":"…","version":1,
///                "parent_code":null,"neighbours":[{"code":"JW0011","name":"…"},…]}}
/// ```
/// Neighbours are defined on ``CellDirectory``. Layer names are matched exactly (percent-encode
/// Chinese names in the URL); only the version in force in the latest epoch is served.
struct CellRoutes: Sendable {
    let holder: TwinHolder

    func cell(_ request: Request, _ context: DispatchRequestContext) async throws -> Response {
        let layerName = Self.decoded(context.parameters.get("layer") ?? "")
        let code = Self.decoded(context.parameters.get("code") ?? "")
        let snapshot = holder.current
        guard let layer = snapshot.cells.layers[layerName] else {
            let known = snapshot.twin.layerNames.joined(separator: ", ")
            throw APIError(.notFound, "no layer \"\(layerName)\" (layers: \(known))", field: "layer")
        }
        guard let k = layer.byCode[code] else {
            throw APIError(.notFound, "layer \(layerName) has no cell \"\(code)\" in version \(layer.version)", field: "code")
        }
        let cell = layer.cells[k]
        var out = JSONOutput(capacity: 4096)
        out.raw("{\"type\":\"Feature\",\"id\":"); out.string(cell.code)
        out.raw(",\"geometry\":")
        if let text = try? Geometry.multiPolygon(cell.geometry).geoJSON { out.rawText(text) } else { out.raw("null") }
        out.raw(",\"properties\":{\"layer\":"); out.string(layer.name)
        out.raw(",\"kind\":"); out.string(layer.kind.rawValue)
        out.raw(",\"code\":"); out.string(cell.code)
        out.raw(",\"name\":"); if let n = cell.name { out.string(n) } else { out.raw("null") }
        out.raw(",\"version\":"); out.integer(cell.version)
        out.raw(",\"parent_code\":"); if let p = cell.parentCode { out.string(p) } else { out.raw("null") }
        out.raw(",\"neighbours\":[")
        for (j, n) in cell.neighbours.enumerated() {
            let other = layer.cells[n]
            out.raw(j == 0 ? "{\"code\":" : ",{\"code\":"); out.string(other.code)
            out.raw(",\"name\":"); if let name = other.name { out.string(name) } else { out.raw("null") }
            out.raw("}")
        }
        out.raw("]}}\n")
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/geo+json; charset=utf-8"
        headers[TwinHeaders.generation] = String(snapshot.generation)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: out.buffer))
    }

    /// Percent-decodes a path part (`%E8%AD%A6` → 警); text that does not decode to UTF-8 is kept as it is.
    static func decoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        var bytes: [UInt8] = []
        var it = Array(text.utf8)[...]
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30 ... 0x39: b - 0x30
            case 0x41 ... 0x46: b - 0x41 + 10
            case 0x61 ... 0x66: b - 0x61 + 10
            default: nil
            }
        }
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let h = hex(it[it.startIndex]), let l = hex(it[it.startIndex + 1]) {
                bytes.append(h << 4 | l)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? text
    }
}
