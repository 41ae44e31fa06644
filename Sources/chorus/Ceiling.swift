import ArgumentParser
import Hummingbird

/// The benchmark ceiling: a plain Hummingbird "hello" route in the same binary, with the same build settings, so
/// every figure in BENCHMARKS.md can be reported as a ratio of what this machine can serve at all.
struct Ceiling: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve only GET /hello, as the ceiling for benchmarks.", shouldDisplay: false)

    @Option(help: "Address to listen on.")
    var hostname: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8090

    func run() async throws {
        let router = Router()
        router.get("/hello") { _, _ in "hello" }
        let app = Application(router: router, configuration: .init(address: .hostname(hostname, port: port)))
        try await app.runService()
    }
}
