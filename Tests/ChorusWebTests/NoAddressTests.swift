import ChorusCore
import ChorusStore
import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

/// No IP address is written anywhere: after a whole realistic session, neither the database (file and WAL, or every
/// PostgreSQL row) nor the logs hold the client's address or its fingerprint.
@Suite struct NoAddressTests {
    @Test func aWholeSessionLeavesNoClientAddressInTheDatabaseOrTheLogs() async throws {
        // setup: everything logged at trace level, rate limits on (they fingerprint every request)
        let logs = CapturedLogs()
        let setup = try await makeAppWithStore {
            $0.logger = logs.logger()
            $0.logLevel = .trace
            $0.rateLimits = RateLimits(signIn: .init(2, per: 300), signUp: .init(20, per: 3600), posting: .init(30, per: 600))
        }
        // act: a survivor, a supporter and a moderator use every part of Chorus
        let (serverPort, storedWhileRunning) = try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.get("/", headers: [HTTPField.Name("X-Forwarded-For")!: "127.0.0.1", .acceptLanguage: "es-MX"])
            try await ana.signUp("ana")
            try await ana.post("/language", [("lang", "es"), ("back", "/")])
            try await ana.post("/help/country", [("country", "MX")])
            let (_, id) = try await ana.sayMeToo("he is outside my door right now", visibility: "anonymous")
            try await ana.sayMeToo("It was my boss. #MeToo")
            try await ana.post("/pledges", [("text", "I will believe survivors."), ("visibility", "public")])
            var bea = Browser(client)
            try await bea.signUp("bea")
            try await bea.post("/voices/\(id ?? "")/believe", [])
            try await bea.post("/voices/\(id ?? "")/reply", [("text", "I believe you. It's not your fault.")])
            try await bea.post("/voices/\(id ?? "")/reply", [("text", "Why didn't you report it?")])
            try await bea.post("/signout", [])
            for _ in 0..<3 { try await bea.post("/signin", [("handle", "bea"), ("password", "not it")]) }
            var moderator = Browser(client)
            try await moderator.signUpModerator("mod", store: setup.store)
            try await moderator.get("/moderation/crisis")
            try await moderator.post("/moderation/countries/MX", [("name", "México"), ("emergency", "911")])
            try await moderator.get("/no-such-page")
            try await moderator.post("/say", [("text", "x")], csrf: false)
            return (client.port ?? 0, try await Self.storedText(setup))
        }
        let storedAfter = try await Self.storedText(setup)
        // check
        let fingerprints = ["127.0.0.1", "::1"].map { AddressFingerprint.shared.fingerprint(ipAddress: $0) }
        for (name, text) in [("database while running", storedWhileRunning), ("database after", storedAfter), ("logs", logs.text)] {
            #expect(Self.clientAddressMentions(in: text, serverPort: serverPort, fingerprints: fingerprints).isEmpty, "\(name)")
        }
        #expect(logs.text.contains("Server started"))
        // The scan itself: it finds a client's address, and lets through only the server naming its own.
        #expect(Self.clientAddressMentions(in: "peer 127.0.0.1:53124 and [::1]:40000", serverPort: serverPort, fingerprints: []).count == 2)
        #expect(Self.clientAddressMentions(in: "listening on 127.0.0.1:\(serverPort)", serverPort: serverPort, fingerprints: []).isEmpty)
        #expect(storedAfter.contains("outside my door"))
        await setup.store.shutdown()
    }

    /// Every byte of the SQLite database, its WAL and shared memory; or every row of every PostgreSQL table as text.
    static func storedText(_ setup: AppWithStore<some ApplicationProtocol>) async throws -> String {
        switch setup.engine {
        case .sqlite(let path):
            return ["", "-wal", "-shm", "-journal"].compactMap { FileManager.default.contents(atPath: path + $0) }
                .map { String(decoding: $0.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self) }.joined(separator: "\n")
        case .postgres:
            return try await setup.store.database.read { db in
                let tables = try await db.raw(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                ).all().map { try $0.decode(column: "table_name", as: String.self) }
                var text = ""
                for table in tables {
                    for row in try await db.raw("SELECT CAST(t AS TEXT) AS row FROM \(ident: table) t").all() {
                        text += try row.decode(column: "row", as: String.self) + "\n"
                    }
                }
                return text
            }
        }
    }

    /// Places where the client's address or its fingerprint appears. The server naming its own listening address
    /// ("127.0.0.1:<server port>") is not a client's address, so it is let through.
    static func clientAddressMentions(in text: String, serverPort: Int, fingerprints: [String]) -> [String] {
        var found: [String] = []
        for match in text.matches(of: /(127\.0\.0\.1|::1)(\]?:(\d+))?/) {
            if let port = match.output.3, Int(port) == serverPort { continue }
            let start = text.index(match.range.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
            // The database driver names the database server it connects to: that is Chorus's own server, not a visitor.
            if text[start..<match.range.lowerBound].contains("connectTCP(host:") { continue }
            found.append(String(text[start..<match.range.upperBound]))
        }
        for fingerprint in fingerprints where text.contains(fingerprint) { found.append("fingerprint \(fingerprint.prefix(8))…") }
        return found
    }
}
