import Logging

/// Everything the server can be told, from flags and the environment.
///
/// Precedence: a flag beats the environment variable, which beats the default. The
/// environment names are `TWIN_PATH`, `TWIN_HOST`, `TWIN_PORT`, `TWIN_MAX_BODY_BYTES`,
/// `TWIN_MAX_EVENT_BYTES`, `TWIN_MAX_BATCH`, `TWIN_CAMERAS`, `TWIN_SENSORS`,
/// `TWIN_SENSOR_RADIUS_M`, `TWIN_LOG_LEVEL`, `TWIN_THREADS`, `TWIN_EXECUTOR` and `TWIN_ADMIN_TOKEN` (the token is never a flag,
/// so it does not show in `ps`).
public struct ServerConfiguration: Sendable, Equatable {
    /// The twin file to serve.
    public var twinPath: String
    /// The address to bind (default loopback: put a proxy in front to expose it).
    public var host = "127.0.0.1"
    /// The TCP port.
    public var port = 8080
    /// Largest accepted `POST /v1/events:batch` body, bytes (413 above it).
    public var maxBodyBytes = 8 * 1024 * 1024
    /// Largest accepted `POST /v1/events` body, bytes (413 above it).
    public var maxEventBytes = 64 * 1024
    /// Most events in one batch (413 above it).
    public var maxBatchEvents = 10_000
    /// At most this many cameras that see the event's point, per answer.
    public var cameras = 5
    /// At most this many nearby sensors of the category's relevant types, per answer.
    public var sensors = 3
    /// How far to look for those sensors, metres.
    public var sensorRadiusMetres = 500.0
    /// The bearer token `POST /admin/reload` requires; `nil`: only loopback clients may reload.
    public var adminToken: String?
    /// The log level.
    public var logLevel: Logger.Level = .info
    /// Event-loop threads; `nil`: one per core.
    public var threads: Int?
    /// Where request handlers run.
    public var executor: Executor = .eventLoop

    /// Where Swift concurrency runs the request handlers.
    public enum Executor: String, Sendable, CaseIterable {
        /// On the event-loop threads that read the requests (SwiftNIO's global-executor hook).
        case eventLoop = "event-loop"
        /// On Swift's cooperative thread pool (each request hops threads twice).
        case pool
    }

    public init(twinPath: String) { self.twinPath = twinPath }

    /// A configuration problem, naming the setting.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var setting: String
        public var message: String
        public var description: String { "\(setting): \(message)" }
    }

    /// Reads the `TWIN_*` variables over the defaults.
    ///
    /// - Parameter environment: the process environment (a dictionary, for tests).
    /// - Throws: ``Problem`` naming the variable whose value is not usable.
    public init(environment: [String: String]) throws {
        self.init(twinPath: environment["TWIN_PATH"] ?? "")
        if let v = environment["TWIN_HOST"] { host = v }
        if let v = environment["TWIN_PORT"] { port = try Self.integer(v, "TWIN_PORT", 0 ... 65_535) }
        if let v = environment["TWIN_MAX_BODY_BYTES"] { maxBodyBytes = try Self.integer(v, "TWIN_MAX_BODY_BYTES", 1 ... 1 << 30) }
        if let v = environment["TWIN_MAX_EVENT_BYTES"] { maxEventBytes = try Self.integer(v, "TWIN_MAX_EVENT_BYTES", 1 ... 1 << 24) }
        if let v = environment["TWIN_MAX_BATCH"] { maxBatchEvents = try Self.integer(v, "TWIN_MAX_BATCH", 1 ... 1_000_000) }
        if let v = environment["TWIN_CAMERAS"] { cameras = try Self.integer(v, "TWIN_CAMERAS", 0 ... 100) }
        if let v = environment["TWIN_SENSORS"] { sensors = try Self.integer(v, "TWIN_SENSORS", 0 ... 100) }
        if let v = environment["TWIN_SENSOR_RADIUS_M"] {
            guard let r = Double(v), r.isFinite, r >= 0, r <= 100_000 else {
                throw Problem(setting: "TWIN_SENSOR_RADIUS_M", message: "\"\(v)\" is not a distance in metres (0…100000)")
            }
            sensorRadiusMetres = r
        }
        if let v = environment["TWIN_LOG_LEVEL"] { logLevel = try Self.level(v, "TWIN_LOG_LEVEL") }
        if let v = environment["TWIN_THREADS"] { threads = try Self.integer(v, "TWIN_THREADS", 1 ... 256) }
        if let v = environment["TWIN_EXECUTOR"] { executor = try Self.executor(v, "TWIN_EXECUTOR") }
        if let v = environment["TWIN_ADMIN_TOKEN"], !v.isEmpty { adminToken = v }
    }

    /// Checks the whole configuration.
    ///
    /// - Throws: ``Problem`` for a missing twin path or a token too short to be a secret.
    public func validate() throws {
        guard !twinPath.isEmpty else { throw Problem(setting: "twin path", message: "give --twin PATH or TWIN_PATH") }
        if let adminToken, adminToken.utf8.count < 16 {
            throw Problem(setting: "TWIN_ADMIN_TOKEN", message: "the token must have at least 16 characters")
        }
        guard maxEventBytes <= maxBodyBytes else {
            throw Problem(setting: "max event bytes", message: "\(maxEventBytes) is above the batch body limit \(maxBodyBytes)")
        }
    }

    /// A decimal integer in `range`.
    public static func integer(_ text: String, _ setting: String, _ range: ClosedRange<Int>) throws -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let v = Int(text), range.contains(v) else {
            throw Problem(setting: setting, message: "\"\(text)\" is not an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }

    /// An executor name (`event-loop` or `pool`).
    public static func executor(_ text: String, _ setting: String) throws -> Executor {
        guard let executor = Executor(rawValue: text.lowercased()) else {
            throw Problem(setting: setting, message: "\"\(text)\" is not one of \(Executor.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return executor
    }

    /// A swift-log level name.
    public static func level(_ text: String, _ setting: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw Problem(setting: setting, message: "\"\(text)\" is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }

    var assignmentOptions: AssignmentOptions {
        AssignmentOptions(cameras: cameras, sensors: sensors, sensorRadiusMetres: sensorRadiusMetres)
    }
}
