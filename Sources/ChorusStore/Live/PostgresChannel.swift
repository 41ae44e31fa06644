import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

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

    /// Listens until the task is cancelled. `connected(true)` is called after each reconnection, so the caller can
    /// catch up on what was published while it was away.
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
                do {
                    // Cancellation (shutdown) closes the connection, which ends the notification sequence.
                    try await withTaskCancellationHandler {
                        try await connection.listen(on: name) { notifications in
                            await connected(hasConnected)
                            hasConnected = true
                            for try await notification in notifications {
                                await received(notification.payload)
                            }
                        }
                    } onCancel: {
                        let closing: EventLoopFuture<Void> = connection.close()
                        closing.whenComplete { _ in }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("Live updates from other instances paused: \(String(reflecting: error))") }
                }
                try? await connection.close()
            } catch {
                if attempt == 0 { logger.warning("Can't reach PostgreSQL for live updates; retrying: \(String(reflecting: error))") }
            }
            attempt += 1
            try? await Task.sleep(for: .milliseconds(min(100 * (1 << min(attempt, 5)), 2_000)))
        }
    }
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
