import Foundation
import Testing

/// Runs the built `twin-tool` binary and captures its exit status, stdout and stderr.
///
/// The binary is found in the build products directory next to the test bundle, so the tests
/// work with any `--scratch-path` and configuration.
enum TwinToolRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The twin-tool executable in the products directory that holds this test bundle.
    static let executable: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent())
        candidates.append(bundle)
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for dir in candidates {
            // On macOS the bundle is X.xctest/Contents/MacOS; walk up a few levels.
            var d = dir
            for _ in 0 ..< 4 {
                let url = d.appendingPathComponent("twin-tool")
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
                d = d.deletingLastPathComponent()
            }
        }
        return nil
    }()

    /// Runs `twin-tool arguments…` in `directory`.
    static func run(_ arguments: [String], in directory: URL) throws -> Result {
        guard let executable else {
            Issue.record("twin-tool was not found next to the test bundle (\(Bundle.main.bundlePath))")
            return Result(status: -1, stdout: "", stderr: "")
        }
        let out = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // Files, not pipes: a large output can never block the child on a full pipe.
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        #expect(process.terminationReason == .exit, "twin-tool \(arguments) ended by a signal")
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("twin-tool-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func run(_ arguments: String...) throws -> TwinToolRunner.Result {
        try TwinToolRunner.run(arguments, in: url)
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Small hand-written grid layers around 121.40°E 31.24°N.
enum CLIFixtures {
    /// A square cell `[x0, x0+0.01] × [y0, y0+0.01]` as a GeoJSON feature.
    static func square(_ x0: Double, _ y0: Double, code: String, name: String) -> String {
        let x1 = x0 + 0.01, y1 = y0 + 0.01
        return """
            {"type":"Feature","properties":{"code":"\(code)","name":"\(name)"},"geometry":{"type":"Polygon",\
            "coordinates":[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]}}
            """
    }

    static func collection(_ features: [String]) -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }

    /// Two police cells side by side: JW-0001 (west, name contains XML specials) and JW-0002.
    static let police = collection([
        square(121.40, 31.24, code: "JW-0001", name: "第1警务区 <A&B>"),
        square(121.41, 31.24, code: "JW-0002", name: "第2警务区"),
    ])

    /// Two greening cells split north/south over the same area.
    static let greening = collection([
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"LR-0001\",\"name\":\"北\"},\"geometry\":{\"type\":\"Polygon\","
            + "\"coordinates\":[[[121.40,31.245],[121.42,31.245],[121.42,31.25],[121.40,31.25],[121.40,31.245]]]}}",
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"LR-0002\",\"name\":\"南\"},\"geometry\":{\"type\":\"Polygon\","
            + "\"coordinates\":[[[121.40,31.24],[121.42,31.24],[121.42,31.245],[121.40,31.245],[121.40,31.24]]]}}",
    ])

    /// Two cells that overlap by half.
    static let overlapping = collection([
        square(121.40, 31.24, code: "A1", name: "a"),
        square(121.405, 31.24, code: "A2", name: "b"),
    ])

    /// A twin with police and greening imported and merged, in `dir` as `t.gpkg`.
    static func mergedTwin(in dir: TempDirectory) throws {
        try dir.write("police.geojson", police)
        try dir.write("greening.geojson", greening)
        #expect(try dir.run("init", "t.gpkg").status == 0)
        #expect(try dir.run("import-layer", "t.gpkg", "--layer", "police", "--code-field", "code", "--name-field", "name",
                            "police.geojson").status == 0)
        #expect(try dir.run("import-layer", "t.gpkg", "--layer", "greening", "--code-field", "code", "--name-field", "name",
                            "greening.geojson").status == 0)
        #expect(try dir.run("merge", "t.gpkg").status == 0)
    }
}
