import ChorusStore
import Foundation
import Logging

/// The engine a test runs on: SQLite in a fresh temporary file, or a fresh database on the PostgreSQL that
/// `scripts/test` started (`CHORUS_TEST_ENGINE=postgres`, `CHORUS_TEST_POSTGRES_URL=postgres://…/postgres`).
public enum TestDatabase {
    public static var isPostgres: Bool { ProcessInfo.processInfo.environment["CHORUS_TEST_ENGINE"] == "postgres" }

    /// A new, empty database for one test.
    public static func freshEngine() async throws -> DatabaseEngine {
        guard isPostgres else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return .sqlite(path: directory.appendingPathComponent("chorus.sqlite").path)
        }
        guard let admin = ProcessInfo.processInfo.environment["CHORUS_TEST_POSTGRES_URL"] else {
            fatalError("CHORUS_TEST_ENGINE=postgres needs CHORUS_TEST_POSTGRES_URL (scripts/test sets both).")
        }
        let name = "chorus_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let database = try ChorusDatabase(engine: .postgres(url: admin), logger: Logger(label: "test"))
        do {
            try await database.read { db in try await db.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
        return .postgres(url: replacingDatabase(in: admin, with: String(name)))
    }

    /// A store on a fresh database, migrated.
    public static func freshStore() async throws -> ChorusStore {
        try await ChorusStore.open(try await freshEngine(), logger: Logger(label: "test"))
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }

    /// The URL form `AppConfig.databaseURL` takes for an engine.
    public static func databaseURL(_ engine: DatabaseEngine) -> String {
        switch engine {
        case .sqlite(let path): return "sqlite://" + path
        case .postgres(let url): return url
        }
    }
}
