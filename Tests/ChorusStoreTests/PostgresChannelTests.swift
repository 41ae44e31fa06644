import ChorusStore
import ChorusTestSupport
import Logging
import Synchronization
import Testing

/// Live updates between instances go through PostgreSQL LISTEN/NOTIFY, and survive a dropped connection.
@Suite(.enabled(if: TestDatabase.isPostgres, "LISTEN/NOTIFY exists on PostgreSQL only"))
struct PostgresChannelTests {
    final class Heard: Sendable {
        let payloads = Mutex<[String]>([])
        let connections = Mutex(0)
    }

    func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(50)) }
    }

    @Test func notificationReachesAnotherListenerAndSurvivesADroppedConnection() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let channel = try #require(PostgresChannel(database: store.database, name: "chorus_test", logger: Logger(label: "test")))
        let heard = Heard()
        let listener = Task {
            await channel.listen(
                connected: { _ in heard.connections.withLock { $0 += 1 } },
                received: { payload in heard.payloads.withLock { $0.append(payload) } }
            )
        }
        try await waitFor { heard.connections.withLock { $0 } == 1 }
        // act
        try await store.notify(channel: "chorus_test", payload: "first")
        try await waitFor { heard.payloads.withLock { $0.contains("first") } }
        try await store.database.read { db in
            try await db.raw(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database() AND pid <> pg_backend_pid()"
            ).run()
        }
        try await waitFor { heard.connections.withLock { $0 } == 2 }
        try await store.notify(channel: "chorus_test", payload: "second")
        try await waitFor { heard.payloads.withLock { $0.contains("second") } }
        // check
        #expect(heard.payloads.withLock { $0 } == ["first", "second"])
        #expect(heard.connections.withLock { $0 } == 2)
        listener.cancel()
        await store.shutdown()
    }
}
