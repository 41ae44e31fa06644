extension Migration {
    /// The Mastodon client API: OAuth apps, codes and tokens (secrets stored hashed), idempotency keys,
    /// notifications and followed hashtags.
    static let m0002MastodonAPI = Migration(number: 2, name: "mastodon_api") { _ in
        [
            """
            CREATE TABLE oauth_apps (
                id BIGINT PRIMARY KEY,
                client_id TEXT NOT NULL UNIQUE,
                client_secret_hash TEXT NOT NULL,
                name TEXT NOT NULL,
                website TEXT,
                redirect_uris TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_codes (
                code_hash TEXT PRIMARY KEY,
                app_id BIGINT NOT NULL,
                account_id BIGINT NOT NULL,
                scopes TEXT NOT NULL,
                redirect_uri TEXT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_tokens (
                id BIGINT PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                app_id BIGINT NOT NULL,
                account_id BIGINT,
                scopes TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX oauth_tokens_by_account ON oauth_tokens (account_id)",
            """
            CREATE TABLE idempotency_keys (
                account_id BIGINT NOT NULL,
                key_hash TEXT NOT NULL,
                voice_id BIGINT,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, key_hash)
            )
            """,
            """
            CREATE TABLE notifications (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL,
                type TEXT NOT NULL,
                from_account_id BIGINT,
                voice_id BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX notifications_by_account ON notifications (account_id, id)",
            "CREATE INDEX notifications_by_voice ON notifications (voice_id)",
            """
            CREATE TABLE followed_tags (
                account_id BIGINT NOT NULL,
                tag TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, tag)
            )
            """,
        ]
    }
}
