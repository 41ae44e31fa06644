import ChorusCore
import Crypto
import Foundation
import SQLKit

extension ChorusStore {
    static let accountColumns = """
        a.id, a.display_handle, a.display_name, a.is_moderator, a.created_at, a.country, a.language, \
        a.default_reply_policy, a.suspended_at, a.suspended_quietly
        """

    /// An account that others may see: not suspended, or suspended quietly (through an anonymous voice).
    static let accountShown = "(a.suspended_at IS NULL OR a.suspended_quietly = 1)"

    /// A voice whose author's suspension does not hide it: the author is not suspended, or was suspended quietly, or
    /// the voice is anonymous. A suspension never hides anonymous voices all at once: that would tell that one person
    /// wrote them, and who (a quiet suspension hides the one voice it was made through; moderators hide others one by
    /// one).
    static let authorShown = """
        (a.suspended_at IS NULL OR a.suspended_quietly = 1 OR \(isAnonymousAuthor(account: "a.id", ofVoice: "v.id")))
        """

    static func account(from row: any SQLRow) throws -> Account {
        Account(
            id: try row.int64("id"),
            handle: try row.string("display_handle"),
            displayName: try row.string("display_name"),
            isModerator: try row.bool("is_moderator"),
            createdAt: try row.int64("created_at"),
            country: try row.optionalString("country"),
            language: try row.optionalString("language"),
            defaultReplyPolicy: ReplyPolicy(rawValue: try row.string("default_reply_policy")) ?? .everyone,
            isSuspended: try row.optionalInt64("suspended_at") != nil,
            isSuspendedQuietly: try row.bool("suspended_quietly")
        )
    }

    /// A new account with its one-time recovery codes (stored hashed).
    public func createAccount(handle: Handle, passwordHash: String, recoveryCodes: [String], isModerator: Bool = false) async throws -> Account {
        let now = ChorusDatabase.now()
        return try await database.write { db in
            // The id tells only the day (see `VoiceID.makeTellingOnlyTheDay`); one already taken is drawn again.
            var id = VoiceID.makeTellingOnlyTheDay(at: now)
            while try await db.raw("SELECT 1 AS one FROM accounts WHERE id = \(bind: id)").first() != nil {
                id = VoiceID.makeTellingOnlyTheDay(at: now)
            }
            // A handle taken already, or at the same moment on another instance (PostgreSQL): told, not failed.
            let inserted = try await db.raw(
                """
                INSERT INTO accounts (id, handle, display_handle, display_name, password_hash, is_moderator, created_at)
                VALUES (\(bind: id), \(bind: handle.normalised), \(bind: handle.display), \(bind: handle.display), \(bind: passwordHash),
                        \(bind: isModerator.sqlValue), \(bind: now))
                ON CONFLICT DO NOTHING RETURNING id
                """
            ).first()
            guard inserted != nil else { throw Refusal(.conflict, "The handle @\(handle.display) is taken. Try another one.") }
            for code in recoveryCodes {
                try await db.raw(
                    "INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(bind: id), \(bind: Self.digest(RecoveryCodes.normalise(code))))"
                ).run()
            }
            return Account(id: id, handle: handle.display, displayName: handle.display, isModerator: isModerator, createdAt: now)
        }
    }

    public func account(id: Int64) async throws -> Account? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.accountColumns) FROM accounts a WHERE a.id = \(bind: id) AND a.deleted_at IS NULL")
                .first().map(Self.account(from:))
        }
    }

    public func account(handle: String) async throws -> Account? {
        guard let handle = try? Handle(handle) else { return nil }
        return try await database.read { db in
            try await db.raw(
                "SELECT \(unsafeRaw: Self.accountColumns) FROM accounts a WHERE a.handle = \(bind: handle.normalised) AND a.deleted_at IS NULL"
            ).first().map(Self.account(from:))
        }
    }

    /// The account and its stored password hash, for signing in.
    public func credentials(handle: String) async throws -> (account: Account, passwordHash: String)? {
        guard let handle = try? Handle(handle) else { return nil }
        return try await database.read { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.accountColumns), a.password_hash FROM accounts a
                    WHERE a.handle = \(bind: handle.normalised) AND a.deleted_at IS NULL
                    """
                ).first()
            else { return nil }
            return (try Self.account(from: row), try row.string("password_hash"))
        }
    }

    public func passwordHash(accountID: Int64) async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT password_hash FROM accounts WHERE id = \(bind: accountID)").first()?.string("password_hash")
        }
    }

    /// Sets a new password and signs the account out everywhere else, apps included; `keepingSession` is the session
    /// token (as its cookie holds it) of the browser the password was changed in.
    public func setPassword(accountID: Int64, passwordHash: String, keepingSession token: String? = nil) async throws {
        let kept = token.map(Self.digest) ?? ""
        try await database.write { db in
            try await db.raw("UPDATE accounts SET password_hash = \(bind: passwordHash) WHERE id = \(bind: accountID)").run()
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID) AND token_hash <> \(bind: kept)").run()
            // Apps are signed out too (their OAuth tokens), as the "Connect an app" page promises.
            try await db.raw("DELETE FROM oauth_tokens WHERE account_id = \(bind: accountID)").run()
        }
    }

    /// Uses up one recovery code. Returns the account it belongs to, or nil when the code is wrong or used.
    public func redeemRecoveryCode(handle: String, code: String) async throws -> Account? {
        guard let handle = try? Handle(handle) else { return nil }
        let codeHash = Self.digest(RecoveryCodes.normalise(code))
        return try await database.write { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT \(unsafeRaw: Self.accountColumns) FROM accounts a
                    JOIN recovery_codes r ON r.account_id = a.id
                    WHERE a.handle = \(bind: handle.normalised) AND a.deleted_at IS NULL AND r.code_hash = \(bind: codeHash) AND r.used_at IS NULL
                    """
                ).first()
            else { return nil }
            let account = try Self.account(from: row)
            try await db.raw(
                "UPDATE recovery_codes SET used_at = \(bind: ChorusDatabase.now()) WHERE account_id = \(bind: account.id) AND code_hash = \(bind: codeHash)"
            ).run()
            return account
        }
    }

    public func remainingRecoveryCodes(accountID: Int64) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = \(bind: accountID) AND used_at IS NULL").first()?.int("n")
                ?? 0
        }
    }

    /// Replaces all recovery codes with new ones.
    public func replaceRecoveryCodes(accountID: Int64, codes: [String]) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: accountID)").run()
            for code in codes {
                try await db.raw(
                    "INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(bind: accountID), \(bind: Self.digest(RecoveryCodes.normalise(code))))"
                ).run()
            }
        }
    }

    /// Settings a person chooses for themselves.
    public func updateSettings(accountID: Int64, displayName: String?, country: String?, language: String?, defaultReplyPolicy: ReplyPolicy?)
        async throws
    {
        try await database.write { db in
            if let displayName {
                try await db.raw("UPDATE accounts SET display_name = \(bind: displayName) WHERE id = \(bind: accountID)").run()
            }
            if let country {
                try await db.raw("UPDATE accounts SET country = \(bind: country.isEmpty ? nil : country) WHERE id = \(bind: accountID)").run()
            }
            if let language {
                try await db.raw("UPDATE accounts SET language = \(bind: language.isEmpty ? nil : language) WHERE id = \(bind: accountID)").run()
            }
            if let defaultReplyPolicy {
                try await db.raw("UPDATE accounts SET default_reply_policy = \(bind: defaultReplyPolicy.rawValue) WHERE id = \(bind: accountID)")
                    .run()
            }
        }
    }

    public func setModerator(accountID: Int64, _ isModerator: Bool) async throws {
        try await database.write { db in
            try await db.raw("UPDATE accounts SET is_moderator = \(bind: isModerator.sqlValue) WHERE id = \(bind: accountID)").run()
        }
    }

    /// Hex SHA-256, for secrets that are looked up but never read back (session tokens, recovery codes).
    public static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexDigits
    }
}
