import ChorusCore
import ChorusStore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import Logging
import Synchronization

/// A Chorus with its own handle on the same database, for tests that need to set things up behind the pages
/// (making a moderator) or look at what was stored.
struct AppWithStore<App: ApplicationProtocol>: Sendable {
    let app: App
    let store: ChorusStore
    let engine: DatabaseEngine
}

func makeAppWithStore(configure: (inout AppConfig) -> Void = { _ in }) async throws -> AppWithStore<some ApplicationProtocol> {
    let engine = try await TestDatabase.freshEngine()
    var config = AppConfig(port: 0, databaseURL: TestDatabase.databaseURL(engine), bcryptCost: 4, logLevel: .warning)
    config.rateLimits = .off
    configure(&config)
    let app = try await buildApplication(config)
    let store = try await ChorusStore.open(engine, logger: Logger(label: "test"))
    return AppWithStore(app: app, store: store, engine: engine)
}

extension Browser {
    /// Signs up and makes the account a moderator.
    mutating func signUpModerator(_ handle: String, store: ChorusStore) async throws {
        try await signUp(handle)
        guard let account = try await store.account(handle: handle) else { return }
        try await store.setModerator(accountID: account.id, true)
    }

    /// Every `<form method="post" …>…</form>` in a page.
    static func postForms(in html: String) -> [String] {
        html.components(separatedBy: "<form").dropFirst().compactMap { chunk in
            guard chunk.contains("method=\"post\"") else { return nil }
            return chunk.components(separatedBy: "</form>").first
        }
    }
}

/// Keeps every log line an app writes, for tests that check what is (never) logged.
final class CapturedLogs: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    func logger(label: String = "chorus") -> Logger {
        Logger(label: label) { label in CapturingLogHandler(label: label, logs: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let logs: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        logs.append("\(event.level) \(label) \(event.message) \(all) \(event.source) \(event.file):\(event.line)")
    }
}
