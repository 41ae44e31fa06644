import Foundation
import NIOSSL
import PostgresNIO

/// How to reach PostgreSQL, read from a database URL with the same forms and TLS modes as PostgresKit's
/// `SQLPostgresConfiguration(url:)`:
///
///     postgres://user:password@host:port/database?sslmode=prefer
///     postgres+uds://user:password@localhost/path/to/socket?sslmode=disable#database
///
/// (`postgresql` for `postgres`, `+tcp` for a TCP connection, and `tlsmode`, `ssl` or `tls` for `sslmode`.) The mode is
/// `prefer` over TCP unless it says otherwise: `disable`/`false`, `prefer`/`allow`/`true`, `require`/`verify-ca`/
/// `verify-full`. Whenever TLS is used, the server's certificate and name are verified.
///
/// One difference: the system's trusted certificates are looked up in its hashed directory (`/etc/ssl/certs`, where it
/// has one) when a handshake needs one. PostgresKit's way parses all of them when the URL is read, which kept 2.9 MB
/// (of BoringSSL's code and the parsed certificates) in every process, also where the server offers no TLS.
enum PostgresURL {
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// Where the system keeps its trusted certificates under their hashes (Debian, Ubuntu, Alpine, Arch); elsewhere
    /// NIOSSL's default search is used.
    static let hashedCertificates = "/etc/ssl/certs"

    static func configuration(_ text: String) throws -> PostgresConnection.Configuration {
        guard let parts = URLComponents(string: text), let username = parts.user, !username.isEmpty else {
            throw Unreadable(description: "The database URL needs a user, as in postgres://user@host/database.")
        }
        let mode = try tlsMode(parts.queryItems ?? [])
        let database = parts.path.split(separator: "/").last.map(String.init)  // `path` is already decoded
        switch parts.scheme {
        case "postgres", "postgres+tcp", "postgresql", "postgresql+tcp":
            guard let host = parts.host, !host.isEmpty else {
                throw Unreadable(description: "The database URL needs a host, as in postgres://user@host/database.")
            }
            return .init(
                host: host, port: parts.port ?? 5432, username: username, password: parts.password, database: database,
                tls: try tls(mode ?? .prefer))
        case "postgres+uds", "postgresql+uds":
            guard parts.host?.isEmpty ?? true || parts.host == "localhost", parts.port == nil, !parts.path.isEmpty, parts.path != "/" else {
                throw Unreadable(description: "A postgres+uds URL names the socket's path, with no host or port: postgres+uds://user@/path#database.")
            }
            var configuration = PostgresConnection.Configuration(
                unixSocketPath: parts.path, username: username, password: parts.password, database: parts.fragment)
            configuration.tls = try tls(mode ?? .disable)
            return configuration
        default:
            throw Unreadable(description: "The database URL must start with postgres:// (or postgresql://, postgres+uds://).")
        }
    }

    enum TLSMode { case disable, prefer, require }

    /// The last of the query's TLS settings, as PostgresKit reads them; nil when there is none.
    static func tlsMode(_ items: [URLQueryItem]) throws -> TLSMode? {
        guard let item = items.last(where: { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }) else { return nil }
        switch item.value ?? "" {
        case "verify-full", "verify-ca", "require": return .require
        case "prefer", "allow", "true": return .prefer
        case "disable", "false": return .disable
        default:
            throw Unreadable(
                description: "The database URL's \(item.name)=\(item.value ?? "") is not a TLS mode Chorus knows: use disable, prefer or require.")
        }
    }

    static func tls(_ mode: TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try context())
        case .require: return .require(try context())
        }
    }

    /// A client context that verifies the server's certificate chain and name.
    static func context() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if holdsHashedCertificates(hashedCertificates) { configuration.trustRoots = .file(hashedCertificates) }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Whether `directory` has certificates under their subject's hash (`5ad8a5d6.0`), as `c_rehash` and
    /// `update-ca-certificates` leave them. Some systems have the folder with bundles only (Fedora's is
    /// `/etc/pki/tls/certs`); there a lookup by hash would find nothing, so NIOSSL's default is kept.
    static func holdsHashedCertificates(_ directory: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return false }
        return names.contains { name in
            let parts = name.split(separator: ".")
            return parts.count == 2 && parts[0].count == 8 && parts[0].allSatisfy(\.isHexDigit) && parts[1].allSatisfy(\.isNumber)
        }
    }
}
