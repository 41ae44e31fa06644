import ChorusCore
import SQLKit

/// An application registered through `POST /api/v1/apps`. Its secret is kept only as a digest.
public struct OAuthApp: Sendable, Equatable {
    public var id: Int64
    public var clientID: String
    public var clientSecretHash: String
    public var name: String
    public var website: String?
    public var redirectURIs: [String]
    public var scopes: OAuthScopes
    public var createdAt: Int64
}

/// What a bearer token grants: an account (nil for a client-credentials token), scopes, and the app.
public struct OAuthGrant: Sendable {
    public var tokenID: Int64
    public var app: OAuthApp
    public var account: Account?
    public var scopes: OAuthScopes
    public var createdAt: Int64
}

/// OAuth apps, authorization codes and access tokens. Codes and tokens are looked up by digest only.
extension ChorusStore {
    /// How long an authorization code can be exchanged for a token.
    public static let authorizationCodeLifetime: Int64 = 10 * 60 * 1000

    public func createApp(
        clientID: String, clientSecret: String, name: String, website: String?, redirectURIs: [String], scopes: OAuthScopes
    ) async throws -> OAuthApp {
        let now = ChorusDatabase.now()
        let app = OAuthApp(
            id: VoiceID.make(at: now), clientID: clientID, clientSecretHash: Self.digest(clientSecret), name: name, website: website,
            redirectURIs: redirectURIs, scopes: scopes, createdAt: now
        )
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO oauth_apps (id, client_id, client_secret_hash, name, website, redirect_uris, scopes, created_at)
                VALUES (\(bind: app.id), \(bind: clientID), \(bind: app.clientSecretHash), \(bind: name), \(bind: website),
                        \(bind: redirectURIs.joined(separator: "\n")), \(bind: scopes.description), \(bind: now))
                """
            ).run()
        }
        return app
    }

    private static let appColumnNames = ["id", "client_id", "client_secret_hash", "name", "website", "redirect_uris", "scopes", "created_at"]
    static let appColumns = appColumnNames.map { "p.\($0)" }.joined(separator: ", ")
    /// The app's columns named `app_id`, `app_client_id`, …: for a row that also holds an account's.
    static let prefixedAppColumns = appColumnNames.map { "p.\($0) AS app_\($0)" }.joined(separator: ", ")

    static func app(from row: any SQLRow, prefix: String = "") throws -> OAuthApp {
        OAuthApp(
            id: try row.int64(prefix + "id"), clientID: try row.string(prefix + "client_id"),
            clientSecretHash: try row.string(prefix + "client_secret_hash"), name: try row.string(prefix + "name"),
            website: try row.optionalString(prefix + "website"),
            redirectURIs: try row.string(prefix + "redirect_uris").split(separator: "\n").map(String.init),
            scopes: OAuthScopes(try row.string(prefix + "scopes").split(separator: " ").map(String.init)),
            createdAt: try row.int64(prefix + "created_at")
        )
    }

    public func app(clientID: String) async throws -> OAuthApp? {
        // No client id holds a null character, and PostgreSQL refuses one in a query.
        guard !clientID.utf8.contains(0) else { return nil }
        return try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.appColumns) FROM oauth_apps p WHERE p.client_id = \(bind: clientID)").first()
                .map { try Self.app(from: $0) }
        }
    }

    public func app(id: Int64) async throws -> OAuthApp? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.appColumns) FROM oauth_apps p WHERE p.id = \(bind: id)").first().map { try Self.app(from: $0) }
        }
    }

    /// The app when `clientSecret` is its secret, else nil.
    public func app(clientID: String, clientSecret: String) async throws -> OAuthApp? {
        guard let app = try await app(clientID: clientID), app.clientSecretHash == Self.digest(clientSecret) else { return nil }
        return app
    }

    /// `codeChallenge`: the app's S256 PKCE challenge, if it sent one.
    public func createAuthorizationCode(
        _ code: String, appID: Int64, accountID: Int64, scopes: OAuthScopes, redirectURI: String, codeChallenge: String? = nil
    ) async throws {
        let now = ChorusDatabase.now()
        try await database.write { db in
            try await db.raw("DELETE FROM oauth_codes WHERE expires_at < \(bind: now)").run()
            try await db.raw(
                """
                INSERT INTO oauth_codes (code_hash, app_id, account_id, scopes, redirect_uri, expires_at, code_challenge)
                VALUES (\(bind: Self.digest(code)), \(bind: appID), \(bind: accountID), \(bind: scopes.description), \(bind: redirectURI),
                        \(bind: now + Self.authorizationCodeLifetime), \(bind: codeChallenge))
                """
            ).run()
        }
    }

    /// Uses up an authorization code and issues a token for it, in one transaction. Nil for an unknown, expired or
    /// mismatched code, or one made with a PKCE challenge that `codeVerifier` does not answer.
    public func redeemAuthorizationCode(
        _ code: String, app: OAuthApp, redirectURI: String, codeVerifier: String? = nil, token: String
    ) async throws -> OAuthGrant? {
        let now = ChorusDatabase.now()
        return try await database.write { db in
            guard
                let row = try await db.raw(
                    """
                    DELETE FROM oauth_codes WHERE code_hash = \(bind: Self.digest(code))
                    RETURNING app_id, account_id, scopes, redirect_uri, expires_at, code_challenge
                    """
                ).first(),
                try row.int64("app_id") == app.id, try row.int64("expires_at") > now
            else { return nil }
            guard try row.string("redirect_uri") == redirectURI else { return nil }
            if let challenge = try row.optionalString("code_challenge") {
                guard let codeVerifier, ProofKey.challenge(of: codeVerifier) == challenge else { return nil }
            }
            let scopes = OAuthScopes(try row.string("scopes").split(separator: " ").map(String.init))
            return try await Self.insertToken(db, token: token, app: app, accountID: try row.int64("account_id"), scopes: scopes, now: now)
        }
    }

    /// Issues a token for an account (password grant) or for the app alone (client credentials).
    public func createToken(_ token: String, app: OAuthApp, accountID: Int64?, scopes: OAuthScopes) async throws -> OAuthGrant {
        let now = ChorusDatabase.now()
        return try await database.write { db in
            try await Self.insertToken(db, token: token, app: app, accountID: accountID, scopes: scopes, now: now)
        }
    }

    private static func insertToken(
        _ db: any SQLDatabase, token: String, app: OAuthApp, accountID: Int64?, scopes: OAuthScopes, now: Int64
    ) async throws -> OAuthGrant {
        let id = VoiceID.make(at: now)
        try await db.raw(
            """
            INSERT INTO oauth_tokens (id, token_hash, app_id, account_id, scopes, created_at)
            VALUES (\(bind: id), \(bind: digest(token)), \(bind: app.id), \(bind: accountID), \(bind: scopes.description), \(bind: now))
            """
        ).run()
        var account: Account?
        if let accountID {
            account = try await db.raw("SELECT \(unsafeRaw: accountColumns) FROM accounts a WHERE a.id = \(bind: accountID)").first()
                .map(Self.account(from:))
        }
        return OAuthGrant(tokenID: id, app: app, account: account, scopes: scopes, createdAt: now)
    }

    /// What a bearer token grants, or nil for an unknown or revoked token, or one whose account is gone or suspended.
    public func grant(token: String) async throws -> OAuthGrant? {
        try await database.read { db in
            // One statement for the token, its app and its account: every API request asks, before anything else.
            guard
                let row = try await db.raw(
                    """
                    SELECT t.id AS token_id, t.account_id AS token_account, t.scopes AS token_scopes, t.created_at AS token_created,
                           \(unsafeRaw: Self.prefixedAppColumns), \(unsafeRaw: Self.accountColumns), a.deleted_at AS account_deleted
                    FROM oauth_tokens t JOIN oauth_apps p ON p.id = t.app_id LEFT JOIN accounts a ON a.id = t.account_id
                    WHERE t.token_hash = \(bind: Self.digest(token))
                    """
                ).first()
            else { return nil }
            var account: Account?
            if try row.optionalInt64("token_account") != nil {
                // A token of an account that was deleted (or erased), or is suspended, grants nothing.
                guard try row.optionalInt64("id") != nil, try row.optionalInt64("account_deleted") == nil else { return nil }
                let found = try Self.account(from: row)
                guard !found.isSuspended else { return nil }
                account = found
            }
            return OAuthGrant(
                tokenID: try row.int64("token_id"), app: try Self.app(from: row, prefix: "app_"), account: account,
                scopes: OAuthScopes(try row.string("token_scopes").split(separator: " ").map(String.init)),
                createdAt: try row.int64("token_created")
            )
        }
    }

    /// Revokes a token of this app. Revoking an unknown token changes nothing, as RFC 7009 asks.
    public func revokeToken(_ token: String, appID: Int64) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM oauth_tokens WHERE token_hash = \(bind: Self.digest(token)) AND app_id = \(bind: appID)").run()
        }
    }

    /// The apps that hold access to a person's account, newest first, for their settings page.
    public func connectedApps(accountID: Int64) async throws -> [ConnectedApp] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT t.id, a.name, a.website, t.scopes, t.created_at FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
                WHERE t.account_id = \(bind: accountID) ORDER BY t.id DESC
                """
            ).all().map {
                ConnectedApp(
                    id: try $0.int64("id"), name: try $0.string("name"), website: try $0.optionalString("website"), scopes: try $0.string("scopes"),
                    connectedAt: try $0.int64("created_at"))
            }
        }
    }

    /// Disconnects one app from a person's account (its token stops working at once); false when it was not theirs.
    public func disconnectApp(id: Int64, accountID: Int64) async throws -> Bool {
        try await database.write { db in
            !(try await db.raw("DELETE FROM oauth_tokens WHERE id = \(bind: id) AND account_id = \(bind: accountID) RETURNING id").all()).isEmpty
        }
    }
}

/// An app connected to a person's account: what they agreed to, and when.
public struct ConnectedApp: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let website: String?
    public let scopes: String
    public let connectedAt: Int64
}
