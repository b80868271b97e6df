import Foundation
import Testing

/// Runs the Python reference scripts in `Tests/TwinGeoTests/Oracles/` (a bundled resource).
///
/// A missing `python3`, a missing module (the scripts exit with status 3) or any other failure
/// throws ``OracleFailure``, so the calling test FAILS with the reason and "run scripts/setup":
/// an oracle that cannot run must never pass silently.
enum Oracle {
    /// Runs `python3 Oracles/<script>` with `input` on stdin and returns its stdout.
    ///
    /// Input and output go through temporary files rather than pipes, so a large output can never
    /// dead-lock against a large input.
    static func run(_ script: String, input: String) throws -> String {
        guard let folder = Bundle.module.url(forResource: "Oracles", withExtension: nil) else {
            throw OracleFailure("the Oracles resource folder is missing from the test bundle")
        }
        let scriptURL = folder.appendingPathComponent(script)
        guard FileManager.default.fileExists(atPath: scriptURL.path) else {
            throw OracleFailure("oracle script \(scriptURL.path) is missing")
        }
        guard let python = findPython() else {
            throw OracleFailure("python3 is not on PATH; run scripts/setup")
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("twingeo-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("in.txt")
        let outURL = scratch.appendingPathComponent("out.txt")
        let errURL = scratch.appendingPathComponent("err.txt")
        try Data(input.utf8).write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let stdin = try FileHandle(forReadingFrom: inURL)
        let stdout = try FileHandle(forWritingTo: outURL)
        let stderr = try FileHandle(forWritingTo: errURL)
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }

        let process = Process()
        process.executableURL = python
        process.arguments = [scriptURL.path]
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()

        let output = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let errors = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw OracleFailure("python3 \(script) failed (status \(process.terminationStatus)): \(errors)"
                + (errors.contains("scripts/setup") ? "" : " — run scripts/setup"))
        }
        return output
    }

    /// `python3` from PATH (the same interpreter `scripts/setup` installs the modules for).
    private static func findPython() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("python3")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Parses a float printed by Python's `repr()`: exact, since both sides round correctly.
    static func double(_ text: Substring, line: Int) throws -> Double {
        guard let value = Double(text) else { throw OracleFailure("oracle output line \(line): \"\(text)\" is not a number") }
        return value
    }
}

/// Why an oracle could not give an answer; fails the test that asked.
struct OracleFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64: a small seeded generator, so oracle inputs are identical on every run.
struct OracleRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
