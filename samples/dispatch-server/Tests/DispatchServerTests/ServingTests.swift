@testable import DispatchServer
import Foundation
import NIOCore
import Testing

/// The parts that make serving fast: the fragment table, the answers without HTTP (what the
/// `bench` command times), and the threading settings.
@Suite struct ServingTests {
    @Test func fragmentsComeBackByteForByteIncludingEmptyOnes() {
        let parts: [[UInt8]] = [Array("\"a\"".utf8), [], Array("{\"code\":\"街镇\"}".utf8), Array(repeating: 0x41, count: 5000), []]
        let table = JSONFragments(parts)
        #expect(table.count == parts.count)
        for (i, part) in parts.enumerated() {
            #expect(Array(table.bytes(i)) == part)
            var out = JSONOutput(capacity: 4)
            out.raw("[")
            table.write(i, into: &out)
            out.raw("]")
            #expect(Array(out.buffer.readableBytesView) == Array("[".utf8) + part + Array("]".utf8))
        }
    }

    @Test func outputGrowsEscapesAndFormatsNumbers() throws {
        var out = JSONOutput(capacity: 1)   // grows many times over
        out.raw("[")
        out.string("a\"b\\c\n\r\t\u{01}\u{1F}街")
        out.raw(","); out.integer(Int.min)
        out.raw(","); out.integer(0)
        out.raw(","); out.integer(Int.max)
        out.raw(","); out.number(121.41214008)
        out.raw(","); out.number(-3)
        out.raw(","); out.number(.nan)
        out.raw(","); out.metres(69.74)
        out.raw(","); out.metres(0.04)
        out.raw(","); out.metres(-0.5)
        out.raw(",")
        for _ in 0 ..< 1000 { out.rawText("\"街镇\",") }
        out.raw("0]")
        let text = String(decoding: out.bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"["a\"b\\c\n\r\t\u0001\u001f街",-9223372036854775808,0,9223372036854775807,121.41214008,-3,null,69.7,0.0,-0.5,"街镇","#))
        #expect(Array(out.buffer.readableBytesView) == out.bytes)
        // What it writes is JSON, and reads back as written.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [Any])
        #expect(parsed.count == 1 + 9 + 1000 + 1)
        #expect(parsed[0] as? String == "a\"b\\c\n\r\t\u{01}\u{1F}街")
        #expect(parsed[4] as? Double == 121.41214008)
    }

    @Test func answersWithoutHTTPEqualTheRoutesAnswers() async throws {
        let twins = try TestTwins.get()
        let server = try TestTwins.server(path: twins.a.path)
        let rows = TestTwins.goodEvents(twins.a.district, count: 20)
        let snapshot = try TwinSnapshot(path: twins.a.path, generation: 1)
        var tally = EventTally(layers: snapshot.twin.layers.count)
        var direct: [ByteBuffer] = []
        for row in rows {
            direct.append(try EventAnswers.single(ByteBuffer(string: eventJSON(row)), snapshot: snapshot,
                                                  options: server.configuration.assignmentOptions, tally: &tally))
        }
        try await server.application().test(.router) { [direct] client in
            for (row, answer) in zip(rows, direct) {
                let response = try await client.post("/v1/events", eventJSON(row))
                #expect(response.body == answer, "\(row.id)")
            }
        }
        // Every event counted once by department (index 0: none) and at least once by layer.
        #expect(tally.byDepartment.reduce(0, +) == rows.count)
        #expect(tally.byLayer.reduce(0, +) + tally.outside >= rows.count)
        let report = try AnswerBenchmark.run(configuration: server.configuration, bodies: rows.map(eventJSON), batchSize: 7, rounds: 1)
        #expect(report.events == rows.count && report.singleNanoseconds > 0 && report.batchNanosecondsPerEvent > 0)
        #expect(report.bytesPerAnswer > 200)
    }

    @Test func categoriesAreFoundByTheirBytes() throws {
        let twins = try TestTwins.get()
        let snapshot = try TwinSnapshot(path: twins.a.path, generation: 1)
        for (category, layer) in snapshot.twin.dispatchRules {
            let found = try #require(snapshot.category(category), "\(category)")
            #expect(found.layer == snapshot.twin.layerIndex(named: layer))
        }
        // The same text in another Unicode normalisation is another category (bytes are compared, as
        // the dispatch rules are written); an unknown one is none.
        #expect(snapshot.category("no such category") == nil)
        let sensors = try #require(snapshot.category("积水"))
        #expect(!sensors.sensorGroups.isEmpty)
    }

    @Test func threadsAndExecutorComeFromTheEnvironment() throws {
        var c = try ServerConfiguration(environment: ["TWIN_PATH": "t.gpkg", "TWIN_THREADS": "3", "TWIN_EXECUTOR": "pool"])
        #expect(c.threads == 3 && c.executor == .pool)
        c = try ServerConfiguration(environment: ["TWIN_PATH": "t.gpkg"])
        #expect(c.threads == nil && c.executor == .eventLoop)
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(environment: ["TWIN_THREADS": "0"]) }
        #expect(throws: ServerConfiguration.Problem.self) { try ServerConfiguration(environment: ["TWIN_THREADS": "two"]) }
        do {
            _ = try ServerConfiguration(environment: ["TWIN_EXECUTOR": "threads"])
            Issue.record("an unknown executor was accepted")
        } catch let problem as ServerConfiguration.Problem {
            #expect(problem.setting == "TWIN_EXECUTOR")
            #expect(problem.message.contains("event-loop, pool"))
        }
    }
}
