import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Hot reload: many concurrent requests while the twin file is swapped and reloaded several
/// times. Zero failures, and every answer is exactly the answer of one version of the twin, the
/// one its `X-Twin-Generation` header names (no mix of old and new within an answer).
@Suite struct ReloadUnderTrafficTests {
    @Test func reloadsUnderTrafficLoseNothing() async throws {
        let twins = try TestTwins.get()
        let dir = twins.root + "/reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/twin.gpkg"
        try FileManager.default.copyItem(atPath: twins.a.path, toPath: path)
        let token = "reload-token-0123456789abcdef"

        // Events inside district A; each version answers them differently (another district).
        let rows = TestTwins.goodEvents(twins.a.district, count: 24)
        let bodies = rows.map(eventJSON)
        let batchBody = "[" + bodies.joined(separator: ",") + "]"

        // Reference answers of each version, from servers that never reload.
        var reference: [[String]] = []
        var batchReference: [String] = []
        for version in [twins.a.path, twins.b.path] {
            let server = try TestTwins.server(path: version)
            let (singles, batch) = try await server.application().test(.router) { client in
                var out: [String] = []
                for body in bodies { out.append(String(buffer: try await client.post("/v1/events", body).body)) }
                return (out, String(buffer: try await client.post("/v1/events:batch", batchBody).body))
            }
            reference.append(singles)
            batchReference.append(batch)
        }
        #expect(reference[0] != reference[1], "the two versions must answer differently for the test to mean anything")

        let server = try TestTwins.server(path: path) { $0.adminToken = token }
        let versionOfGeneration = GenerationLog()
        struct Answer: Sendable { var status: Int; var generation: Int; var event: Int; var body: String }
        let answers = try await server.application().test(.router) { client in
            try await withThrowingTaskGroup(of: [Answer].self) { group in
                for worker in 0 ..< 8 {
                    group.addTask {
                        var out: [Answer] = []
                        var k = 0
                        // At least 60 requests each, and until the last reload is done.
                        while k < 60 || !versionOfGeneration.done.load(ordering: .acquiring) {
                            defer { k += 1 }
                            let event = (worker * 7 + k) % bodies.count
                            let isBatch = k % 15 == 14
                            let response = isBatch ? try await client.post("/v1/events:batch", batchBody)
                                : try await client.post("/v1/events", bodies[event])
                            let generation = Int(response.headers[.init("X-Twin-Generation")!] ?? "") ?? -1
                            out.append(Answer(status: response.status.code, generation: generation, event: isBatch ? -1 : event,
                                              body: String(buffer: response.body)))
                        }
                        return out
                    }
                }
                group.addTask {
                    let fm = FileManager.default
                    var auth: HTTPFields = [:]
                    auth[.authorization] = "Bearer \(token)"
                    for r in 1 ... 5 {
                        try await Task.sleep(for: .milliseconds(30))
                        let version = r % 2  // B, A, B, A, B
                        let tmp = path + ".next"
                        try? fm.removeItem(atPath: tmp)
                        try fm.copyItem(atPath: version == 0 ? twins.a.path : twins.b.path, toPath: tmp)
                        // rename(2): the reader sees the old file or the new one, never a partial copy.
                        #expect(rename(tmp, path) == 0)
                        let response = try await client.execute(uri: "/admin/reload", method: .post, headers: auth)
                        #expect(response.status == .ok)
                        let generation = try object(response)["generation"] as? Int ?? -1
                        versionOfGeneration.map.withLock { $0[generation] = version }
                    }
                    versionOfGeneration.done.store(true, ordering: .releasing)
                    return []
                }
                var all: [Answer] = []
                for try await part in group { all += part }
                return all
            }
        }
        let versions = versionOfGeneration.map.withLock { $0 }
        #expect(versions.count == 6)
        #expect(answers.count >= 8 * 60)
        #expect(answers.allSatisfy { $0.status == 200 }, "zero failures")
        for a in answers {
            let version = try #require(versions[a.generation], "generation \(a.generation)")
            let expected = a.event < 0 ? batchReference[version] : reference[version][a.event]
            #expect(a.body == expected, "generation \(a.generation) (version \(version)), event \(a.event)")
        }
        let seen = Set(answers.map(\.generation))
        #expect(seen.count >= 2, "traffic overlapped the reloads (generations seen: \(seen.sorted()))")
    }
}

/// Which twin version each generation loaded (generation 1 is version A).
final class GenerationLog: Sendable {
    let map = Mutex<[Int: Int]>([1: 0])
    /// Set once the last reload is done: the traffic stops after it.
    let done = Atomic(false)
}
