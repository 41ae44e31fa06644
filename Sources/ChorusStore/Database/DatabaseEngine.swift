import Foundation

/// Which database Chorus runs on. The same queries serve both.
public enum DatabaseEngine: Sendable, Equatable {
    /// Embedded SQLite in WAL mode, in one file.
    case sqlite(path: String)
    /// A PostgreSQL server, shared by any number of Chorus processes.
    case postgres(url: String)

    /// `postgres://…` or `postgresql://…` selects PostgreSQL; otherwise SQLite in `dataDirectory`.
    /// A URL given is PostgreSQL's (`postgres://`, `postgresql://`, `postgres+uds://`, `postgresql+uds://`) or SQLite's
    /// (`sqlite://PATH`); any other is refused, never taken for the embedded database: instances meant to share one
    /// PostgreSQL would each write to a file of their own.
    public static func from(databaseURL: String?, dataDirectory: String) throws -> DatabaseEngine {
        let url = (databaseURL ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty else { return .sqlite(path: dataDirectory + "/chorus.sqlite") }
        let scheme = url.prefix { $0 != ":" }.lowercased()
        guard url.dropFirst(scheme.count).hasPrefix("://") else { throw UnknownDatabaseURL() }
        switch scheme {
        case "postgres", "postgresql", "postgres+uds", "postgresql+uds":
            return .postgres(url: scheme + url.drop { $0 != ":" })
        case "sqlite":
            return .sqlite(path: String(url.dropFirst("sqlite://".count)))
        default:
            throw UnknownDatabaseURL()
        }
    }

    public var name: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgres"
        }
    }
}

/// A database URL of no kind Chorus knows: an operator's mistake, said in their words.
public struct UnknownDatabaseURL: Error, CustomStringConvertible {
    public var description: String {
        "The database URL must start with postgres:// (or postgresql://, postgres+uds://), or be left out for the embedded SQLite "
            + "database in --data-dir."
    }
}
