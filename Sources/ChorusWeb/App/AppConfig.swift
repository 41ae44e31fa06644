import ChorusCore
import ChorusStore
import Logging

/// How one Chorus process is run: from flags, then the environment, then these defaults.
public struct AppConfig: Sendable {
    public var hostname: String
    public var port: Int
    public var dataDirectory: String
    /// `postgres://…` for PostgreSQL; nil for embedded SQLite in `dataDirectory`.
    public var databaseURL: String?
    /// The instance's name, shown in the header and to Mastodon apps.
    public var instanceName: String
    /// The address people use to reach this instance, for links and OAuth redirects (defaults to http://hostname:port).
    public var publicURL: String?
    /// Where the quick exit goes: a neutral site.
    public var exitURL: String
    /// bcrypt cost: 12 in production; tests lower it for speed.
    public var bcryptCost: UInt8
    public var logLevel: Logger.Level
    /// Run background jobs in this process.
    public var runsJobs: Bool
    /// Voices, pledges and replies one account may post per 10 minutes.
    public var postingLimit: Int = Limit.posting.count
    /// Limits on sign-in, sign-up and posting per client (keyed on an in-memory fingerprint, never an address).
    public var rateLimits: RateLimits = .standard
    /// Live pushes of notifications about one voice (its beliefs, its replies) are coalesced: at most one per voice per
    /// this window on each stream, the newest held back sent when it ends, so a flood never buzzes a phone 500 times.
    public var notificationPushWindow: Duration = .seconds(60)
    /// How often a quiet stream gets a heartbeat (and held-back notifications are looked at).
    public var streamHeartbeat: Duration = .seconds(15)
    /// A new connection's first request head must arrive within this time; connections between requests are closed
    /// after `idleTimeout`. Streams (SSE, WebSocket) are open requests, so neither limit ends them.
    public var firstRequestTimeout: Duration = .seconds(30)
    public var idleTimeout: Duration = .seconds(120)
    /// The most connections served at once; nil for as many as the process's open-file limit leaves room for. One more
    /// is answered 503 (try again shortly) and closed: a flood of connections must never take the files the database
    /// and the process itself need.
    public var maxConnections: Int?
    /// The bearer token a Prometheus scraper sends for `/metrics`; nil for no metrics at all (none are kept either).
    public var metricsToken: String?
    /// Whether to stop (for a supervisor to start Chorus again) once writes have stopped for good: SQLite's log could
    /// not be synced to the disk. `chorus serve` sets it; tests don't.
    public var stopsWhenWritesStop = false
    /// Where logs go; nil for the process's default (standard error). Tests capture logs here.
    public var logger: Logger?

    public init(
        hostname: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "./chorus-data",
        databaseURL: String? = nil,
        instanceName: String = "Chorus",
        publicURL: String? = nil,
        exitURL: String = "https://www.bbc.com/weather",
        bcryptCost: UInt8 = 12,
        logLevel: Logger.Level = .info,
        runsJobs: Bool = true
    ) {
        self.hostname = hostname
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.instanceName = instanceName
        self.publicURL = publicURL
        self.exitURL = exitURL
        self.bcryptCost = bcryptCost
        self.logLevel = logLevel
        self.runsJobs = runsJobs
    }

    public var engine: DatabaseEngine { get throws { try .from(databaseURL: databaseURL, dataDirectory: dataDirectory) } }

    /// The base URL links are made from.
    public var baseURL: String { publicURL ?? "http://\(hostname):\(port)" }

    /// Cookies get `Secure` when people reach the instance over TLS.
    public var secureCookies: Bool { baseURL.hasPrefix("https://") }
}
