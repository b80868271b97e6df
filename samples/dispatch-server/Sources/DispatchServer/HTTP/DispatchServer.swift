import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TwinGeo
import UnixSignals

/// The dispatch server: TwinGeo behind Hummingbird 2.
///
/// ```swift
/// let server = try DispatchServer(configuration: configuration, logger: logger)
/// try await server.application().runService()   // until SIGTERM/SIGINT; SIGHUP reloads the twin
/// ```
///
/// Endpoints: `POST /v1/events`, `POST /v1/events:batch`, `GET /v1/cells/{layer}/{code}`,
/// `GET /v1/search`, `GET /healthz`, `GET /metrics`, `POST /admin/reload` (see the sample's README.md).
public struct DispatchServer: Sendable {
    public let configuration: ServerConfiguration
    let holder: TwinHolder
    let metrics = DispatchMetrics()
    let logger: Logger

    /// Loads the twin (the first load is synchronous: a server without a twin does not start).
    ///
    /// - Throws: ``ServerConfiguration/Problem`` for a bad configuration; the twin's load errors
    ///   (`StoreError`, `FormatError`, …) naming the file.
    public init(configuration: ServerConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        holder = try TwinHolder(path: configuration.twinPath, logger: logger)
        metrics.generation.record(1)
    }

    /// The generation of the twin answering now (1 = first load).
    public var generation: Int { holder.current.generation }

    /// Reloads the twin file (what `POST /admin/reload` and SIGHUP do).
    ///
    /// - Returns: the new generation.
    /// - Throws: the load error; the previous twin stays in service.
    @discardableResult
    public func reload() async throws -> Int { try await holder.reload().generation }

    /// The routes and middleware.
    public func router() -> Router<DispatchRequestContext> {
        let router = Router(context: DispatchRequestContext.self)
        router.add(middleware: RequestMiddleware(metrics: metrics))
        let events = EventRoutes(holder: holder, configuration: configuration, metrics: metrics)
        let cells = CellRoutes(holder: holder)
        let search = SearchRoutes(holder: holder)
        let admin = AdminRoutes(holder: holder, token: configuration.adminToken, metrics: metrics)
        router.post("/v1/events") { request, context in try await events.single(request, context) }
        router.post("/v1/events:batch") { request, context in try await events.batch(request, context) }
        router.get("/v1/cells/:layer/:code") { request, context in try await cells.cell(request, context) }
        router.get("/v1/search") { request, context in try await search.search(request, context) }
        router.post("/admin/reload") { request, context in try await admin.reload(request, context) }
        router.get("/healthz") { _, _ in health() }
        router.get("/metrics") { _, _ in
            var headers: HTTPFields = [:]
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return router
    }

    /// `GET /healthz`: 200 and what is being served.
    func health() -> Response {
        let s = holder.current
        var out = JSONOutput(capacity: 512)
        out.raw("{\"status\":\"ok\",\"generation\":"); out.integer(s.generation)
        out.raw(",\"twin\":"); out.string(s.path)
        out.raw(",\"loaded_at\":"); out.number((s.loadedAt * 1000).rounded() / 1000)
        out.raw(",\"layers\":"); out.integer(s.twin.layers.count)
        out.raw(",\"epochs\":"); out.integer(s.twin.epochs.count)
        out.raw(",\"dispatch_rules\":"); out.integer(s.twin.dispatchRules.count)
        out.raw(",\"assets\":{")
        for (j, kind) in AssetKind.allCases.enumerated() {
            if j > 0 { out.raw(",") }
            out.string(kind.rawValue); out.raw(":"); out.integer(s.catalog.count(kind))
        }
        out.raw("},\"last_reload_error\":")
        if let e = holder.lastReloadError { out.string(e) } else { out.raw("null") }
        out.raw("}\n")
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: out.buffer))
    }

    /// The application: the router on the configured address, plus the SIGHUP reload service.
    public func application() -> some ApplicationProtocol {
        var app = Application(router: router(),
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: "twingeo-dispatch"),
                              logger: logger)
        app.addServices(ReloadOnHangup(server: self))
        return app
    }
}

/// Reloads the twin on SIGHUP (the usual "re-read your files" signal), until shutdown.
struct ReloadOnHangup: Service {
    let server: DispatchServer

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            server.logger.info("SIGHUP: reloading the twin")
            do {
                let r = try await server.holder.reload()
                server.metrics.counter("dispatch_twin_reloads_total", ("result", "ok")).increment()
                server.metrics.generation.record(r.generation)
            } catch {
                server.metrics.counter("dispatch_twin_reloads_total", ("result", "failed")).increment()
                // TwinHolder logged the failure; the previous twin stays in service.
            }
        }
    }
}
