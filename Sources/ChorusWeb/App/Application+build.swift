import ChorusCore
import ChorusStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds Chorus: the one seam used by `chorus serve` and by every test.
public func buildApplication(_ config: AppConfig) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "chorus")
    logger.logLevel = config.logLevel
    let store = try await ChorusStore.open(config.engine, logger: logger)
    let services = ChorusServices(
        config: config, store: store, pages: try await Pages(config: config), live: LiveEvents(), screening: .shared
    )
    let router = try buildRouter(services)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "Chorus"),
        logger: logger
    )
    app.addServices(StoreService(store: store))
    return app
}

/// The middleware stack, in order, then every area's routes.
func buildRouter(_ services: ChorusServices) throws -> Router<ChorusContext> {
    let router = Router(context: ChorusContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(pages: services.pages))
    router.add(middleware: SessionMiddleware(store: services.store, secureCookies: services.config.secureCookies))
    router.add(middleware: FormMiddleware())

    let voices = VoicesController(services: services)
    voices.addRoutes(to: router)
    AccountsController(services: services).addRoutes(to: router)
    SettingsController(services: services).addRoutes(to: router)
    ProfilesController(services: services).addRoutes(to: router)
    PledgesController(services: services, voices: voices).addRoutes(to: router)
    TagsController(services: services).addRoutes(to: router)
    MagnitudeController(services: services).addRoutes(to: router)
    try StaticController().addRoutes(to: router)
    router.get("/health") { _, _ in "ok" }
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
