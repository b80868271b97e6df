import Foundation
import TwinGeo
@testable import TwinSamples

/// Districts shared by the tests (generated once per process; generation is pure).
enum Samples {
    /// Scale 0.1: ~300 unit cells, 10 街镇, 14 片区, 28 居村, 10,000 events.
    static let small: Result<SampleDistrict, Error> = Result { try SampleDistrict.generate(scale: 0.1) }
    static func district() throws -> SampleDistrict { try small.get() }

    /// The written files of ``small`` in a fresh temporary directory.
    static let writtenSmall: Result<String, Error> = Result {
        let dir = try temporaryDirectory("small")
        try small.get().write(to: dir)
        return dir
    }
    static func written() throws -> String { try writtenSmall.get() }

    static func temporaryDirectory(_ label: String) throws -> String {
        var template = Array("\(NSTemporaryDirectory())/twin-samples-\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IOFileError("mkdtemp failed")
        }
        return String(cString: made)
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw IOFileError("cannot read \(path)") }
        return [UInt8](data)
    }
}

/// Every coordinate of a geometry, in storage order.
func coordinates(_ g: Geometry) -> [Coordinate] {
    var out: [Coordinate] = []
    g.forEachCoordinate { out.append($0) }
    return out
}

/// The polygons of a polygonal geometry.
func polygons(_ g: Geometry) -> [Polygon] {
    switch g {
    case .polygon(let p): [p]
    case .multiPolygon(let m): m.polygons
    default: []
    }
}

/// Even-odd point in polygon (holes count), written here independently of the generator.
func contains(_ g: Geometry, _ p: Coordinate) -> Bool {
    var inside = false
    for polygon in polygons(g) {
        for ring in polygon.rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
    }
    return inside
}

/// A strict RFC 4180 reader for the tests: records with the physical line each starts on.
struct CSVRecords {
    struct Record { var fields: [String]; var line: Int }
    var records: [Record] = []
    /// Set when the file ends inside a quoted field: the line where that record started.
    var unterminatedQuoteLine: Int?

    init(_ bytes: [UInt8]) {
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var i = 0
        var inQuotes = false, fieldStarted = false
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field = []; fieldStarted = false }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22 where !fieldStarted && field.isEmpty: inQuotes = true; fieldStarted = true
            case 0x2C: endField()
            case 0x0D where i + 1 < bytes.count && bytes[i + 1] == 0x0A:
                endField(); records.append(Record(fields: fields, line: recordLine)); fields = []
                i += 1; line += 1; recordLine = line
            case 0x0A:
                endField(); records.append(Record(fields: fields, line: recordLine)); fields = []
                line += 1; recordLine = line
            default: field.append(b); fieldStarted = true
            }
            i += 1
        }
        if inQuotes { unterminatedQuoteLine = recordLine } else if !field.isEmpty || !fields.isEmpty {
            endField(); records.append(Record(fields: fields, line: recordLine))
        }
    }
}
