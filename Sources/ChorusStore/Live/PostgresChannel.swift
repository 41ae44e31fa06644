import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// A PostgreSQL notification channel shared by every Chorus instance on one database: one dedicated listening
/// connection per instance, which reconnects by itself after a drop.
public struct PostgresChannel: Sendable {
    public let name: String
    let configuration: PostgresConnection.Configuration
    let logger: Logger

    /// Nil on SQLite, where one process is the whole instance.
    public init?(database: ChorusDatabase, name: String, logger: Logger) {
        guard let configuration = database.postgresConfiguration else { return nil }
        self.name = name
        self.configuration = configuration
        self.logger = logger
    }

    /// Listens until the task is cancelled. `connected(true)` is called (beside the listening) after each reconnection,
    /// so the caller can catch up on what was published while it was away. A connection that stops answering is
    /// noticed within about 20 s (`keepAlive`) and made again.
    public func listen(
        connected: @escaping @Sendable (_ isReconnection: Bool) async -> Void, received: @escaping @Sendable (String) async -> Void
    ) async {
        var attempt = 0
        var hasConnected = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
                )
                attempt = 0
                let reconnecting = hasConnected
                let started = ListenStarted()
                do {
                    // Cancellation (shutdown) closes the connection, which ends the notification sequence.
                    try await withTaskCancellationHandler {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                try await connection.listen(on: name) { notifications in
                                    started.mark()
                                    // The catch-up reads the database, which may be slow to answer just after a drop:
                                    // notifications are heard meanwhile.
                                    Task { await connected(reconnecting) }
                                    for try await notification in notifications {
                                        await received(notification.payload)
                                    }
                                }
                            }
                            // A listening connection is idle by nature, and a path that drops it without a word (a NAT's
                            // idle timeout, a failover) left this instance deaf for good: it is asked a question now and
                            // then, and closed (then made again) when no answer comes.
                            group.addTask { try await Self.keepAlive(connection, logger: logger) }
                            try await group.next()
                            group.cancelAll()
                        }
                    } onCancel: {
                        let closing: EventLoopFuture<Void> = connection.close()
                        closing.whenComplete { _ in }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("Live updates from other instances paused: \(String(reflecting: error))") }
                }
                if started.value { hasConnected = true }
                try? await connection.close()
            } catch {
                if attempt == 0 { logger.warning("Can't reach PostgreSQL for live updates; retrying: \(String(reflecting: error))") }
            }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(min(100 * (1 << min(attempt, 5)), 2_000)))
        }
    }
}

extension PostgresChannel {
    /// How often a listening connection is asked whether it is still there, and how long an answer may take.
    static let keepAliveEvery: Duration = .seconds(15)
    static let answerWithin: Duration = .seconds(5)

    /// Returns (throws) only when the connection no longer answers, after closing it.
    static func keepAlive(_ connection: PostgresConnection, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: keepAliveEvery)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try await connection.query("SELECT 1", logger: logger)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: answerWithin)
                    // Closing ends the question still waiting on a dead connection.
                    try? await connection.close()
                    return false
                }
                let first = (try? await group.next()) ?? false
                group.cancelAll()
                return first
            }
            guard answered else { throw ListeningConnectionLost() }
        }
    }
}

/// The listening connection stopped answering; it is made again.
struct ListeningConnectionLost: Error {}

/// Whether a listening connection got as far as listening (then the next one is a reconnection).
final class ListenStarted: Sendable {
    private let storage = Mutex(false)
    func mark() { storage.withLock { $0 = true } }
    var value: Bool { storage.withLock { $0 } }
}

extension ChorusStore {
    /// Tells every instance listening on `channel` (PostgreSQL only; a no-op on SQLite).
    public func notify(channel: String, payload: String) async throws {
        guard case .postgres = database.engine else { return }
        try await database.read { db in
            try await db.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        }
    }
}
