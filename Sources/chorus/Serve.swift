import ArgumentParser
import ChorusWeb
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Chorus: pages, the Mastodon API and live updates.")

    @Option(help: "Address to listen on.")
    var hostname: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address people use to reach this instance, e.g. https://chorus.example (defaults to http://hostname:port).")
    var publicUrl: String?

    @Option(help: "The instance's name.")
    var name: String = ProcessInfo.processInfo.environment["CHORUS_NAME"] ?? "Chorus"

    @Option(help: "Where the quick exit leads.")
    var exitUrl: String = ProcessInfo.processInfo.environment["CHORUS_EXIT_URL"] ?? "https://www.bbc.com/weather"

    @Option(help: "bcrypt cost for passwords (4–16).")
    var bcryptCost: UInt8 = 12

    @Option(help: "Voices, pledges and replies one account may post per 10 minutes.")
    var postingLimit: Int = 60

    @Flag(help: "Serve requests only; leave background jobs to `chorus worker` processes.")
    var noJobs = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["CHORUS_LOG_LEVEL"] ?? "info"

    @Option(
        help: "Limits per client (api: per account): standard, off, or e.g. signin=10/300,signup=5/3600,posting=30/600,api=300/300 (count/seconds).")
    var rateLimits: String = ProcessInfo.processInfo.environment["CHORUS_RATE_LIMITS"] ?? "standard"

    @Option(help: "Seconds a new connection has to send its first request head, and any request its body, before it is closed.")
    var firstRequestTimeout: Int = 30

    @Option(help: "Seconds a connection may stay open between requests (live streams are open requests).")
    var idleTimeout: Int = 120

    @Option(help: "The most connections served at once (default: what the open-file limit leaves room for); more get a 503.")
    var maxConnections: Int?

    @Option(
        help:
            "A token for Prometheus to scrape /metrics with (Authorization: Bearer); better set as CHORUS_METRICS_TOKEN. Without one there is no /metrics."
    )
    var metricsToken: String? = ProcessInfo.processInfo.environment["CHORUS_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }

    func validate() throws {
        guard firstRequestTimeout > 0, idleTimeout > 0 else {
            throw ValidationError("--first-request-timeout and --idle-timeout must be at least 1 second.")
        }
        guard RateLimits.parse(rateLimits) != nil else {
            throw ValidationError("--rate-limits must be standard, off, or like signin=10/300,signup=5/3600,posting=30/600,api=300/300.")
        }
        if let metricsToken, metricsToken.count < 16 {
            throw ValidationError("--metrics-token must be at least 16 characters, so it can't be guessed (e.g. openssl rand -hex 24).")
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1.") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        // The quick exit must lead away: a typo ("www.bbc.com/weather") sent it to Chorus's own "not found" page.
        guard Self.isFullAddress(exitUrl) else {
            throw ValidationError("--exit-url must be a full address such as https://www.bbc.com/weather.")
        }
        if let publicUrl, !Self.isFullAddress(publicUrl) {
            throw ValidationError("--public-url must be a full address such as https://chorus.example.")
        }
        guard (4...16).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be between 4 and 16.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    /// An absolute http(s) address with a host.
    static func isFullAddress(_ text: String) -> Bool {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            return false
        }
        return parts.host?.isEmpty == false
    }

    func run() async throws {
        var config = database.config()
        config.hostname = hostname
        config.port = port
        config.publicURL = publicUrl
        config.instanceName = name
        config.exitURL = exitUrl
        config.bcryptCost = bcryptCost
        config.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        config.runsJobs = !noJobs
        config.postingLimit = postingLimit
        config.rateLimits = RateLimits.parse(rateLimits) ?? .standard
        config.firstRequestTimeout = .seconds(firstRequestTimeout)
        config.idleTimeout = .seconds(idleTimeout)
        config.maxConnections = maxConnections
        config.metricsToken = metricsToken
        config.stopsWhenWritesStop = true
        try await StartupProblems.explained(databaseURL: config.databaseURL, dataDirectory: config.dataDirectory, port: port) {
            if case .sqlite(let path) = try config.engine { try DataDirectoryLock.take(for: path) }
            let app = try await buildApplication(config)
            try await app.runService()
        }
    }
}
