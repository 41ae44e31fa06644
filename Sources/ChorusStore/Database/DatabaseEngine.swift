/// Which database Chorus runs on. The same queries serve both.
public enum DatabaseEngine: Sendable, Equatable {
    /// Embedded SQLite in WAL mode, in one file.
    case sqlite(path: String)
    /// A PostgreSQL server, shared by any number of Chorus processes.
    case postgres(url: String)

    /// `postgres://…` or `postgresql://…` selects PostgreSQL; otherwise SQLite in `dataDirectory`.
    public static func from(databaseURL: String?, dataDirectory: String) -> DatabaseEngine {
        if let url = databaseURL, !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
            if url.hasPrefix("sqlite://") { return .sqlite(path: String(url.dropFirst("sqlite://".count))) }
        }
        return .sqlite(path: dataDirectory + "/chorus.sqlite")
    }

    public var name: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgres"
        }
    }
}
