import Foundation
import Testing
import TwinGeo
@testable import TwinSamples

/// `samples/fixture/` must be exactly what ``SampleDistrict/writeFixture(to:)`` writes, so the
/// committed files cannot drift from the generator. To regenerate after a deliberate change:
/// `TWIN_SAMPLES_WRITE_FIXTURE=1 swift test --filter FixtureTests`.
@Suite struct FixtureTests {
    static var isLinux: Bool {
        #if os(Linux)
        true
        #else
        false
        #endif
    }

    static let fixtureDirectory: String = {
        let here = URL(fileURLWithPath: #filePath)  // Tests/TwinSamplesTests/FixtureTests.swift
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/fixture").path
    }()

    /// Byte equality assumes glibc's libm (the committed files were made on Linux): another libm
    /// may differ in the last bit of a sine, which can move a vertex by a rounding step.
    @Test(.enabled(if: FixtureTests.isLinux)) func committedFixtureEqualsTheRegeneratedOne() throws {
        if ProcessInfo.processInfo.environment["TWIN_SAMPLES_WRITE_FIXTURE"] == "1" {
            try SampleDistrict.writeFixture(to: FixtureTests.fixtureDirectory)
        }
        let fresh = try Samples.temporaryDirectory("fixture")
        try SampleDistrict.writeFixture(to: fresh)
        for name in SampleDistrict.fileNames {
            let committed = FileManager.default.contents(atPath: FixtureTests.fixtureDirectory + "/" + name)
            #expect(committed != nil, "samples/fixture/\(name) is missing")
            #expect(committed.map { [UInt8]($0) } == (try Samples.bytes(fresh + "/" + name)),
                    "samples/fixture/\(name) differs from the generator's output; see samples/fixture/README.md")
        }
    }

    @Test func fixtureIsSmallButComplete() throws {
        let d = try SampleDistrict.generate(configuration: .fixture)
        #expect(d.events.count == 50)
        #expect(Set(d.badRows.compactMap(\.badKind)) == Set(BadRowKind.allCases))
        for layer in d.layers {
            let limit = layer.name == "unit" ? 80 : 30
            #expect((2...limit).contains(layer.cells.count), "\(layer.name): \(layer.cells.count)")
        }
        #expect(d.layer(.jiezhen).cells.count == 2)
    }
}
