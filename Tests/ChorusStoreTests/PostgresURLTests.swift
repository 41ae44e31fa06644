import Foundation
import PostgresKit
import PostgresNIO
import Testing

@testable import ChorusStore

/// A database URL is read as PostgresKit reads it, except that TLS trusts the system's certificates by looking them up
/// when a handshake needs them.
@Suite struct PostgresURLTests {
    /// Every kind of PostgreSQL URL selects PostgreSQL, whatever the scheme's case; anything else is refused rather than
    /// taken for the embedded database (instances meant to share PostgreSQL each wrote to a file of their own).
    @Test func aDatabaseURLOfNoKnownKindIsRefusedNotTakenForSQLite() throws {
        // setup
        let cases: [(String?, DatabaseEngine?)] = [
            (nil, .sqlite(path: "data/chorus.sqlite")), ("", .sqlite(path: "data/chorus.sqlite")),
            ("postgres://u@h/db", .postgres(url: "postgres://u@h/db")), ("Postgres://u@h/db", .postgres(url: "postgres://u@h/db")),
            (" postgresql://u@h/db", .postgres(url: "postgresql://u@h/db")),
            ("postgres+uds://u@/run/pg#db", .postgres(url: "postgres+uds://u@/run/pg#db")),
            ("sqlite:///tmp/x.sqlite", .sqlite(path: "/tmp/x.sqlite")), ("mysql://u@h/db", nil), ("postgres", nil), ("h/db", nil),
        ]
        for (url, expected) in cases {
            // act
            let engine = try? DatabaseEngine.from(databaseURL: url, dataDirectory: "data")
            // check
            #expect(engine == expected, "\(url ?? "nil")")
        }
    }

    private struct Reading: Equatable {
        let host: String?
        let port: Int?
        let socket: String?
        let username: String
        let password: String?
        let database: String?
        let tlsAllowed: Bool
        let tlsEnforced: Bool

        init(_ configuration: PostgresConnection.Configuration) {
            host = configuration.host
            port = configuration.port
            socket = configuration.unixSocketPath
            username = configuration.username
            password = configuration.password
            database = configuration.database
            tlsAllowed = configuration.tls.isAllowed
            tlsEnforced = configuration.tls.isEnforced
        }
    }

    @Test(arguments: [
        "postgres://chorus@127.0.0.1:55463/chorus_bench",
        "postgresql://chorus:s%40cret@db.example.org/chorus",
        "postgres+tcp://chorus@localhost/chorus?sslmode=disable",
        "postgres://chorus@localhost:6432/chorus?sslmode=require",
        "postgres://chorus@localhost/chorus?tls=verify-full",
        "postgres://chorus@localhost/chorus?ssl=false&sslmode=allow",
        "postgres://chorus@[::1]:5433/chorus?tlsmode=true",
        "postgres://chorus@localhost",
        "postgres://chorus@localhost/chorus%25test",
        "postgres+uds://chorus@localhost/var/run/postgresql/.s.PGSQL.5432#chorus",
        "postgresql+uds://chorus:pw@/tmp/.s.PGSQL.5432?sslmode=require",
    ])
    func readsEveryURLAsPostgresKitDoes(url: String) throws {
        let ours = Reading(try PostgresURL.configuration(url))
        let theirs = Reading(try SQLPostgresConfiguration(url: url).coreConfiguration)
        #expect(ours == theirs)
    }

    @Test func theSecretAndTheModeAreRead() throws {
        let configuration = try PostgresURL.configuration("postgres://chorus:s%40cret@db.example.org:6432/chorus?sslmode=require")
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 6432)
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == "chorus")
        #expect(configuration.tls.isEnforced)
        let plain = try PostgresURL.configuration("postgres://chorus@localhost/chorus?sslmode=disable")
        #expect(!plain.tls.isAllowed)
    }

    @Test(arguments: [
        ("postgres://localhost/chorus", "needs a user"),
        ("postgres://chorus@/chorus", "needs a host"),
        ("mysql://chorus@localhost/chorus", "must start with postgres://"),
        ("postgres://chorus@localhost/chorus?sslmode=sometimes", "sslmode=sometimes is not a TLS mode"),
        ("postgres+uds://chorus@localhost:5432/tmp/socket", "names the socket's path"),
    ])
    func aURLThatCannotBeReadSaysWhatItNeeds(url: String, says: String) {
        #expect {
            _ = try PostgresURL.configuration(url)
        } throws: { error in
            "\(error)".contains(says)
        }
    }

    @Test func certificatesAreLookedUpByHashOnlyWhereTheFolderHasHashes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data().write(to: folder.appendingPathComponent("ca-bundle.crt"))
        #expect(!PostgresURL.holdsHashedCertificates(folder.path))
        try Data().write(to: folder.appendingPathComponent("5ad8a5d6.0"))
        #expect(PostgresURL.holdsHashedCertificates(folder.path))
        #expect(!PostgresURL.holdsHashedCertificates(folder.appendingPathComponent("absent").path))
    }
}
