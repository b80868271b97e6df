import ArgumentParser
import DispatchServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOPosix

/// `dispatch-server [serve] --twin PATH …` and `dispatch-server make-sample-twin DIR`.
@main
struct DispatchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch-server",
        abstract: "TwinGeo's dispatch server sample: assigns events to every grid of a twin over HTTP.",
        subcommands: [Serve.self, MakeSampleTwin.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}

/// Runs the server until SIGTERM/SIGINT; SIGHUP reloads the twin file.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a twin file over HTTP.",
        discussion: """
            Flags override the environment (TWIN_PATH, TWIN_HOST, TWIN_PORT, TWIN_MAX_BODY_BYTES, \
            TWIN_MAX_EVENT_BYTES, TWIN_MAX_BATCH, TWIN_CAMERAS, TWIN_SENSORS, TWIN_SENSOR_RADIUS_M, \
            TWIN_LOG_LEVEL, TWIN_THREADS, TWIN_EXECUTOR). TWIN_ADMIN_TOKEN (environment only) lets non-loopback clients call \
            POST /admin/reload with "Authorization: Bearer <token>".

            Example:
              dispatch-server --twin demo-twin/twin.gpkg --port 8080
              kill -HUP <pid>    # reload the twin file in the background
            """
    )

    @Option(help: "The twin file (TWIN_PATH).") var twin: String?
    @Option(help: "Address to bind (TWIN_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port (TWIN_PORT; default 8080).") var port: Int?
    @Option(name: .customLong("max-body-bytes"), help: "Largest batch body (TWIN_MAX_BODY_BYTES; default 8 MiB).") var maxBodyBytes: Int?
    @Option(name: .customLong("max-event-bytes"), help: "Largest single-event body (TWIN_MAX_EVENT_BYTES; default 64 KiB).") var maxEventBytes: Int?
    @Option(name: .customLong("max-batch"), help: "Most events per batch (TWIN_MAX_BATCH; default 10000).") var maxBatch: Int?
    @Option(help: "Cameras per answer (TWIN_CAMERAS; default 5).") var cameras: Int?
    @Option(help: "Sensors per answer (TWIN_SENSORS; default 3).") var sensors: Int?
    @Option(name: .customLong("log-level"), help: "trace|debug|info|notice|warning|error|critical (TWIN_LOG_LEVEL).") var logLevel: String?
    @Option(help: "Event-loop threads (TWIN_THREADS; default: one per core).") var threads: Int?
    @Option(help: "Where request handlers run: 'event-loop' (on the I/O threads, no thread hop per request; the default) or 'pool' (Swift's cooperative pool) (TWIN_EXECUTOR).")
    var executor: String?

    func run() async throws {
        var c: ServerConfiguration
        do {
            c = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
            if let twin { c.twinPath = twin }
            if let host { c.host = host }
            if let port { c.port = try ServerConfiguration.integer(String(port), "--port", 0 ... 65_535) }
            if let maxBodyBytes { c.maxBodyBytes = try ServerConfiguration.integer(String(maxBodyBytes), "--max-body-bytes", 1 ... 1 << 30) }
            if let maxEventBytes { c.maxEventBytes = try ServerConfiguration.integer(String(maxEventBytes), "--max-event-bytes", 1 ... 1 << 24) }
            if let maxBatch { c.maxBatchEvents = try ServerConfiguration.integer(String(maxBatch), "--max-batch", 1 ... 1_000_000) }
            if let cameras { c.cameras = try ServerConfiguration.integer(String(cameras), "--cameras", 0 ... 100) }
            if let sensors { c.sensors = try ServerConfiguration.integer(String(sensors), "--sensors", 0 ... 100) }
            if let logLevel { c.logLevel = try ServerConfiguration.level(logLevel, "--log-level") }
            if let threads { c.threads = try ServerConfiguration.integer(String(threads), "--threads", 1 ... 256) }
            if let executor { c.executor = try ServerConfiguration.executor(executor, "--executor") }
            try c.validate()
        } catch let problem as ServerConfiguration.Problem {
            throw ValidationError(problem.description)
        }
        // Both must happen before anything touches the event-loop group or enqueues a task.
        if let threads = c.threads { NIOSingletons.groupLoopCountSuggestion = threads }
        if c.executor == .eventLoop {
            // Swift concurrency's jobs then run on the NIO threads: a request's handler continues on
            // the thread that read it, instead of hopping to the cooperative pool and back (two
            // thread wake-ups per request, the largest fixed cost on a 2-core machine).
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        let level = c.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "twingeo.dispatch")
        logger.logLevel = level
        logger.info("loading the twin", metadata: ["path": "\(c.twinPath)"])
        let server: DispatchServer
        do { server = try DispatchServer(configuration: c, logger: logger) } catch {
            logger.critical("cannot load the twin", metadata: ["path": "\(c.twinPath)", "error": "\(error)"])
            throw ExitCode.failure
        }
        logger.info("serving", metadata: ["host": "\(c.host)", "port": "\(c.port)", "generation": "\(server.generation)",
                                         "threads": "\(NIOSingletons.groupLoopCountSuggestion)", "executor": "\(c.executor.rawValue)"])
        try await server.application().runService()
    }
}

/// Writes the sample district and its twin, for trying the server and for the load test.
struct MakeSampleTwin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-sample-twin",
        abstract: "Generate the sample district into DIR and build DIR/twin.gpkg (grids, rules, merge, assets, events).",
        discussion: "DIR also receives events.csv (100,000 sample events at --scale 1), which the load test draws points from."
    )

    @Argument(help: "The output directory.") var dir: String
    @Option(help: "District size: 1.0 = Putuo (~2,900 unit cells); 0.005…4.") var scale: Double = 1.0

    func validate() throws {
        guard scale.isFinite, scale >= 0.005, scale <= 4 else { throw ValidationError("--scale must be 0.005…4, not \(scale)") }
    }

    func run() throws {
        let built = try SampleTwin.build(in: dir, scale: scale)
        print(built.path)
    }
}

/// Times the answers without HTTP (see `AnswerBenchmark`); the load test runs it beside wrk.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time parse + assign + JSON per event on one thread, without HTTP.",
        discussion: "BODIES is NDJSON: one event object per line (the load test writes DIR/events.ndjson)."
    )

    @Option(help: "The twin file.") var twin: String
    @Option(help: "NDJSON event bodies.") var bodies: String
    @Option(help: "Events per batch.") var batch: Int = 1000
    @Option(help: "Use at most this many bodies.") var count: Int = 5000
    @Option(help: "Rounds (the best is reported).") var rounds: Int = 3
    @Option(help: "The answer's parts, as ?fields= (default: all).") var fields: String?

    func validate() throws {
        guard batch >= 1, count >= 1, rounds >= 1 else { throw ValidationError("--batch, --count and --rounds must be at least 1") }
    }

    func run() throws {
        let text = try String(contentsOfFile: bodies, encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(count).map(String.init)
        guard !lines.isEmpty else { throw ValidationError("\(bodies) has no event lines") }
        // The answer limits come from the environment, as for `serve` (TWIN_CAMERAS, TWIN_SENSORS, …).
        var c = try ServerConfiguration(environment: ProcessInfo.processInfo.environment)
        c.twinPath = twin
        let report = try AnswerBenchmark.run(configuration: c, bodies: lines, batchSize: batch,
                                                rounds: rounds, fields: fields)
        print(report)
    }
}
