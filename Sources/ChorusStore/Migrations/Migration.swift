import Logging
import SQLKit

/// One step of the schema's history. Once landed, a migration is never edited: the next change is a new one.
public struct Migration: Sendable {
    public let number: Int
    public let name: String
    /// Statements run in order, in one transaction.
    public let statements: @Sendable (DatabaseEngine) -> [String]

    public init(number: Int, name: String, statements: @escaping @Sendable (DatabaseEngine) -> [String]) {
        self.number = number
        self.name = name
        self.statements = statements
    }
}

/// The schema's whole history, in order.
public enum Migrations {
    public static let all: [Migration] = [
        .m0001Foundation,
        .m0002MastodonAPI,
        .m0003Magnitude,
        .m0004Help,
        .m0005Moderation,
        .m0006Jobs,
        .m0007RateLimits,
        .m0008DeferredWorkAndNotificationGroups,
        .m0009QuietSuspensions,
        .m0010VoicesCountedPerAccount,
        .m0011CountsInParts,
        .m0012ShownVoicesPerAccount,
        .m0013CountersInParts,
        .m0014NoBeliefsWithoutVoices,
        .m0015AnonymousVoicesCountAsThemselvesInTrends,
        .m0016CountriesAsTheDayBegan,
        .m0017SuspensionsApart,
        .m0018ProofKeyForCodes,
        .m0019ReadMarkers,
    ]

    /// Applies every migration not yet applied. Safe when several instances start at once: on PostgreSQL an
    /// advisory lock lets one instance migrate while the others wait; SQLite's write lock does the same.
    @discardableResult
    public static func run(on database: ChorusDatabase) async throws -> [Migration] {
        // A migration may build an index on every voice: minutes on a large database, not a request's 30 s.
        try await database.write(limit: ChorusDatabase.bulkWriteLimit) { db in
            try await lockForMigration(db, engine: database.engine)
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS chorus_migrations (
                    number BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
            let applied = Set(try await db.raw("SELECT number FROM chorus_migrations").all().map { try $0.decode(column: "number", as: Int.self) })
            var ran: [Migration] = []
            for migration in all where !applied.contains(migration.number) {
                for statement in migration.statements(database.engine) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw(
                    "INSERT INTO chorus_migrations (number, name, applied_at) VALUES (\(bind: migration.number), \(bind: migration.name), \(bind: ChorusDatabase.now()))"
                ).run()
                database.logger.info("Applied migration \(migration.number) \(migration.name)")
                ran.append(migration)
            }
            return ran
        }
    }

    /// PostgreSQL: a transaction-scoped advisory lock, released at commit. SQLite: `BEGIN IMMEDIATE` already holds the write lock.
    private static func lockForMigration(_ db: any SQLDatabase, engine: DatabaseEngine) async throws {
        if case .postgres = engine {
            try await db.raw("SELECT pg_advisory_xact_lock(7411001)").run()
        }
    }
}
