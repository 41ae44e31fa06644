import Foundation
import PostgresNIO

/// What went wrong reaching the database, in words an operator can act on. PostgresNIO's own description of an error
/// is deliberately the same line for every one (it may hold a query's values); its code and the server's SQLSTATE say
/// which it was.
public enum DatabaseProblem {
    /// The sentence for an error met while opening or migrating the database, or nil when it is not the database's.
    public static func explain(_ error: any Error, databaseURL: String?) -> String? {
        guard let error = error as? PSQLError else { return nil }
        let place = databaseURL.flatMap(URLComponents.init(string:)).map { parts in
            (parts.host.map { $0.isEmpty ? "" : $0 } ?? "") + (parts.port.map { ":\($0)" } ?? "")
        }
        let at = place.flatMap { $0.isEmpty ? nil : " at \($0)" } ?? ""
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000":
            return "PostgreSQL\(at) refused the user name or password in --database-url. Check them (or the server's pg_hba.conf)."
        case "3D000":
            return "The database named in --database-url does not exist on PostgreSQL\(at). Create it (createdb NAME) or correct the name."
        case "53300": return "PostgreSQL\(at) has no connection slot left. Raise its max_connections, or run fewer instances."
        case "57P03": return "PostgreSQL\(at) is starting up or shutting down. Try again in a moment."
        default: break
        }
        switch error.code {
        case .sslUnsupported:
            return
                "PostgreSQL\(at) does not offer TLS, but --database-url requires it. Turn TLS on there, or use sslmode=prefer on a trusted network."
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return "Nothing answered as PostgreSQL\(at). Is it running, and are the host, port or socket in --database-url right?"
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return
                "PostgreSQL\(at) asked for a way of signing in Chorus can't give: put the password in --database-url, or allow scram-sha-256 or md5."
        default:
            let message = error.serverInfo?[.message].map { ": \($0)" } ?? "."
            return "PostgreSQL\(at) could not be used\(message)"
        }
    }
}
