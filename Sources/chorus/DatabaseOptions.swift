import ArgumentParser
import ChorusStore
import ChorusWeb
import Foundation

/// Where the data lives: flags, then the environment, then the defaults.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Folder for the embedded SQLite database.")
    var dataDir: String = ProcessInfo.processInfo.environment["CHORUS_DATA_DIR"] ?? "./chorus-data"

    @Option(help: "postgres://user:password@host:port/database to run on PostgreSQL (or set CHORUS_DATABASE_URL).")
    var databaseUrl: String?

    var resolvedDatabaseURL: String? {
        databaseUrl ?? ProcessInfo.processInfo.environment["CHORUS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A database URL of no known kind is refused before anything starts (it was taken for the embedded database).
    func validate() throws {
        do {
            _ = try config().engine
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    /// The engine of an instance that already exists: a command that manages one (an account, the help directory)
    /// must not make a new, empty SQLite database where none is (the account would never reach the instance).
    func existingEngine() throws -> DatabaseEngine {
        let engine = try config().engine
        if case .sqlite(let path) = engine, !FileManager.default.fileExists(atPath: path) {
            throw ValidationError(
                "There is no Chorus database at \(path). Give the instance's --data-dir (or --database-url, or CHORUS_DATABASE_URL).")
        }
        return engine
    }

    func config() -> AppConfig {
        AppConfig(dataDirectory: dataDir, databaseURL: resolvedDatabaseURL)
    }
}
