import DispatchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TwinGeo
import TwinSamples

/// The sample twins the tests serve, built once per test process (scale 0.05: ~150 unit cells,
/// a few seconds in debug).
enum TestTwins {
    struct Twins: Sendable {
        /// Seed A: the twin most tests serve.
        var a: SampleTwin.Built
        /// Seed B: a different district, for the reload tests (answers tell the two apart).
        var b: SampleTwin.Built
        var root: String
    }

    static let scale = 0.05
    private static let cache = Mutex<Twins?>(nil)

    /// Builds (first call) or returns the twins.
    static func get() throws -> Twins {
        try cache.withLock { cached in
            if let cached { return cached }
            let root = FileManager.default.temporaryDirectory.path + "/dispatch-server-tests-\(getpid())"
            let a = try SampleTwin.build(in: root + "/a", scale: scale)
            let b = try SampleTwin.build(in: root + "/b", scale: scale, seed: SampleDistrict.defaultSeed + 1)
            let twins = Twins(a: a, b: b, root: root)
            cached = twins
            atexit { try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory.path + "/dispatch-server-tests-\(getpid())") }
            return twins
        }
    }

    /// A server over `path` with test-friendly limits.
    static func server(path: String, edit: (inout ServerConfiguration) -> Void = { _ in }) throws -> DispatchServer {
        var c = ServerConfiguration(twinPath: path)
        c.port = 0
        edit(&c)
        var logger = Logger(label: "dispatch-server-tests")
        logger.logLevel = .warning
        return try DispatchServer(configuration: c, logger: logger)
    }

    /// The sample events that have a usable position (no deliberately bad rows).
    static func goodEvents(_ district: SampleDistrict, count: Int) -> [EventRow] {
        Array(district.events.filter { $0.badKind == nil && $0.fields[4] == "wgs84" }.prefix(count))
    }
}

/// A sample event row as the JSON the server takes.
func eventJSON(_ row: EventRow) -> String {
    let f = row.fields
    func q(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
    return "{\"id\":\(q(f[0])),\"time\":\(q(f[1])),\"lon\":\(f[2]),\"lat\":\(f[3]),\"crs\":\(q(f[4])),\"category\":\(q(f[6])),\"address\":\(q(f[7]))}"
}

/// Parses a JSON object body.
func object(_ response: TestResponse, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let any = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
    return try #require(any as? [String: Any], sourceLocation: sourceLocation)
}

/// Headers of a JSON request.
func jsonHeaders(_ type: String = "application/json") -> HTTPFields {
    var h: HTTPFields = [:]
    h[.contentType] = type
    return h
}

extension TestClientProtocol {
    /// POSTs `body` with a content type.
    func post(_ uri: String, _ body: String, type: String? = "application/json", headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var h = extra
        if let type { h[.contentType] = type }
        return try await execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: body))
    }
}
