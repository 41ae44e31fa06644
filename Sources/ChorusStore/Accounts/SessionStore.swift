import ChorusCore
import SQLKit

/// Browser sessions live in the database, so any Chorus instance can serve any request.
extension ChorusStore {
    public static let sessionLifetime: Int64 = 30 * 24 * 3600 * 1000

    public func createSession(accountID: Int64, token: String) async throws {
        let now = ChorusDatabase.now()
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, account_id, created_at, expires_at)
                VALUES (\(bind: Self.digest(token)), \(bind: accountID), \(bind: now), \(bind: now + Self.sessionLifetime))
                """
            ).run()
        }
    }

    /// The signed-in account for a session token, or nil for a missing, expired or forged one.
    public func account(sessionToken token: String) async throws -> Account? {
        try await database.read { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.accountColumns) FROM sessions s JOIN accounts a ON a.id = s.account_id
                WHERE s.token_hash = \(bind: Self.digest(token)) AND s.expires_at > \(bind: ChorusDatabase.now()) AND a.deleted_at IS NULL
                """
            ).first().map(Self.account(from:))
        }
    }

    public func deleteSession(token: String) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: Self.digest(token))").run()
        }
    }
}
