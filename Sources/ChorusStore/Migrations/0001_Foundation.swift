extension Migration {
    /// Accounts, voices, beliefs, hashtags, follows, sessions, recovery codes and the running totals.
    static let m0001Foundation = Migration(number: 1, name: "foundation") { _ in
        [
            """
            CREATE TABLE accounts (
                id BIGINT PRIMARY KEY,
                handle TEXT NOT NULL UNIQUE,
                display_handle TEXT NOT NULL,
                display_name TEXT NOT NULL DEFAULT '',
                password_hash TEXT NOT NULL,
                is_moderator BIGINT NOT NULL DEFAULT 0,
                country TEXT,
                language TEXT,
                default_reply_policy TEXT NOT NULL DEFAULT 'everyone',
                metoo_voices BIGINT NOT NULL DEFAULT 0,
                suspended_at BIGINT,
                deleted_at BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE voices (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                kind TEXT NOT NULL,
                visibility TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'visible',
                text TEXT NOT NULL,
                content_warning TEXT,
                language TEXT,
                in_reply_to_id BIGINT,
                thread_root_id BIGINT NOT NULL,
                reply_policy TEXT NOT NULL DEFAULT 'everyone',
                believe_count BIGINT NOT NULL DEFAULT 0,
                reply_count BIGINT NOT NULL DEFAULT 0,
                guard_label TEXT,
                crisis BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX voices_by_account ON voices (account_id, id)",
            "CREATE INDEX voices_by_thread ON voices (thread_root_id, id)",
            "CREATE INDEX voices_by_kind ON voices (kind, id)",
            "CREATE INDEX voices_by_reply ON voices (in_reply_to_id)",
            """
            CREATE TABLE beliefs (
                id BIGINT NOT NULL UNIQUE,
                voice_id BIGINT NOT NULL REFERENCES voices(id) ON DELETE CASCADE,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (voice_id, account_id)
            )
            """,
            "CREATE INDEX beliefs_by_account ON beliefs (account_id, id)",
            """
            CREATE TABLE voice_tags (
                voice_id BIGINT NOT NULL REFERENCES voices(id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (tag, voice_id)
            )
            """,
            "CREATE INDEX voice_tags_by_voice ON voice_tags (voice_id)",
            """
            CREATE TABLE follows (
                follower_id BIGINT NOT NULL REFERENCES accounts(id),
                followed_id BIGINT NOT NULL REFERENCES accounts(id),
                created_at BIGINT NOT NULL,
                PRIMARY KEY (follower_id, followed_id)
            )
            """,
            "CREATE INDEX follows_by_followed ON follows (followed_id)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_by_account ON sessions (account_id)",
            """
            CREATE TABLE recovery_codes (
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                code_hash TEXT NOT NULL,
                used_at BIGINT,
                PRIMARY KEY (account_id, code_hash)
            )
            """,
            "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO counters (name, value) VALUES ('metoo_people', 0), ('beliefs', 0), ('pledges', 0)",
        ]
    }
}
