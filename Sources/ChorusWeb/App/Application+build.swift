import ChorusCore
import ChorusStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle

/// Builds Chorus: the one seam used by `chorus serve` and by every test.
public func buildApplication(_ config: AppConfig) async throws -> some ApplicationProtocol {
    var logger = config.logger ?? Logger(label: "chorus")
    logger.logLevel = config.logLevel
    // The metrics backend starts before the store, whose write metrics are bound to it when they are made.
    if config.metricsToken != nil { _ = InstanceMetrics.registry }
    let store = try await ChorusStore.open(try config.engine, logger: logger)
    if config.stopsWhenWritesStop {
        // Staying up would answer "try again in a minute" for ever, while looking healthy to the supervisor.
        store.database.whenWritesStop { [logger] in
            logger.critical("Chorus stops now, so that its supervisor starts it again and SQLite recovers from the disk.")
            kill(getpid(), SIGTERM)
        }
    }
    let help = HelpDirectory(store: store)
    try await help.reload()
    let services = ChorusServices(
        config: config, store: store, pages: try await Pages(config: config, help: help), live: LiveEvents(), screening: .shared
    )
    let router = try buildRouter(services)
    let webSocketRouter = Router(context: StreamingContext.self)
    MastodonStreaming(services: services).addWebSocketRoutes(to: webSocketRouter)
    var app = Application(
        router: router,
        server: .guardedHTTP1WebSocketUpgrade(
            webSocketRouter: webSocketRouter, idleTimeout: config.idleTimeout, firstRequestTimeout: config.firstRequestTimeout,
            connections: OpenConnections(limit: config.maxConnections ?? OpenConnections.limitFromOpenFiles())),
        // A viral moment opens thousands of live pages at once: a short queue of pending connections would drop their
        // connects, and each client would retry only after a second or more (the kernel caps this at somaxconn).
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "Chorus", backlog: 4096),
        logger: logger
    )
    app.addServices(StoreService(store: store))
    if config.runsJobs {
        app.addServices(JobWorker(store: store, logger: logger))
    }
    if let relay = try ClusterRelay(store: store, live: services.live, logger: logger) {
        app.addServices(relay)
    }
    return app
}

/// The middleware stack, in order, then every area's routes.
func buildRouter(_ services: ChorusServices) throws -> Router<ChorusContext> {
    // HEAD answers as GET does, without the body (RFC 9110): uptime monitors and `curl -I` found every page missing.
    let router = Router(context: ChorusContext.self, options: .autoGenerateHeadEndpoints)
    if services.config.metricsToken != nil { router.add(middleware: MetricsMiddleware()) }
    router.add(middleware: SecurityHeadersMiddleware(overHTTPS: services.config.secureCookies))
    router.add(middleware: BrowserAppsMiddleware())
    // Twice: outside the session for what reading the session throws, and inside it, so that an error page shows the
    // person signed in and in the language they chose.
    let outageLog = OutageLog()
    router.add(middleware: ErrorMiddleware(pages: services.pages, outageLog: outageLog))
    router.add(middleware: SessionMiddleware(store: services.store, secureCookies: services.config.secureCookies))
    router.add(middleware: ErrorMiddleware(pages: services.pages, outageLog: outageLog))
    let limiter = RateLimiter(limits: services.config.rateLimits)
    router.add(middleware: RateLimitMiddleware(limiter: limiter, pages: services.pages))
    router.add(middleware: FormMiddleware())
    router.add(middleware: BearerAuthMiddleware(store: services.store, limiter: limiter))
    // After the API's counting, so that an answer kept in memory still counts for the client that asks, with its own
    // X-RateLimit headers.
    router.add(middleware: SignedOutReadCache(store: services.store))
    router.add(middleware: HelpDirectoryMiddleware(help: services.pages.help))
    router.add(middleware: ModerationNoticeMiddleware(store: services.store, pages: services.pages))

    let voices = VoicesController(services: services)
    voices.addRoutes(to: router)
    AccountsController(services: services).addRoutes(to: router)
    SettingsController(services: services).addRoutes(to: router)
    ProfilesController(services: services).addRoutes(to: router)
    PledgesController(services: services, voices: voices).addRoutes(to: router)
    TagsController(services: services).addRoutes(to: router)
    OAuthController(services: services).addRoutes(to: router)
    MastodonInstanceController(services: services).addRoutes(to: router)
    MastodonAccountsController(services: services).addRoutes(to: router)
    MastodonBoundariesController(services: services).addRoutes(to: router)
    MastodonStatusesController(services: services).addRoutes(to: router)
    MastodonTimelinesController(services: services).addRoutes(to: router)
    MastodonNotificationsController(services: services).addRoutes(to: router)
    MastodonGroupedNotificationsController(services: services).addRoutes(to: router)
    MastodonStreaming(services: services).addRoutes(to: router)
    HelpController(services: services).addRoutes(to: router)
    ResourcesModerationController(services: services).addRoutes(to: router)
    CrisisModerationController(services: services).addRoutes(to: router)
    ModerationRoutes.add(to: router, services: services)
    MagnitudeController(services: services).addRoutes(to: router)
    NotificationsController(services: services).addRoutes(to: router)
    try StaticController().addRoutes(to: router)
    try OpenAPIController().addRoutes(to: router)
    // "OK", as Mastodon answers it (Mastodon.py checks the word); a 503 once writes have stopped for good, so that a
    // health check sees what people meet.
    router.get("/health") { _, _ -> Response in
        guard !services.store.database.writesStopped else {
            return Response(status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "Writes have stopped: restart Chorus.")))
        }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "OK")))
    }
    if let token = services.config.metricsToken { MetricsController(token: token, live: services.live).addRoutes(to: router) }
    return router
}

/// Closes the database when the application shuts down.
struct StoreService: Service {
    let store: ChorusStore

    func run() async throws {
        try? await gracefulShutdown()
        await store.shutdown()
    }
}

/// Runs only the job worker, for `chorus worker`: no pages, no API.
public func runWorker(_ config: AppConfig) async throws {
    var logger = Logger(label: "chorus.worker")
    logger.logLevel = config.logLevel
    let store = try await ChorusStore.open(try config.engine, logger: logger)
    let group = ServiceGroup(
        configuration: .init(
            services: [JobWorker(store: store, logger: logger), StoreService(store: store)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
    )
    try await group.run()
}
