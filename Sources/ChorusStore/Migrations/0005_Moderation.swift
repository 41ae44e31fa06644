extension Migration {
    /// Blocks, mutes, reports, the instance's rules, moderators' actions with their appeals, and silent beliefs.
    static let m0005Moderation = Migration(number: 5, name: "moderation") { _ in
        [
            // `via_voice_id` is 0 for a block made on a profile, or the anonymous voice it was made from: its author is never shown.
            """
            CREATE TABLE blocks (
                blocker_id BIGINT NOT NULL REFERENCES accounts(id),
                blocked_id BIGINT NOT NULL REFERENCES accounts(id),
                via_voice_id BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (blocker_id, blocked_id, via_voice_id)
            )
            """,
            "CREATE INDEX blocks_by_blocked ON blocks (blocked_id)",
            """
            CREATE TABLE mutes (
                muter_id BIGINT NOT NULL REFERENCES accounts(id),
                muted_id BIGINT NOT NULL REFERENCES accounts(id),
                via_voice_id BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (muter_id, muted_id, via_voice_id)
            )
            """,
            """
            CREATE TABLE rules (
                number BIGINT PRIMARY KEY,
                text TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            INSERT INTO rules (number, text, updated_at) VALUES
                (1, 'Believe survivors: no blaming, doubting or interrogating.', 0),
                (2, 'No harassment, threats or sexualised remarks.', 0),
                (3, 'No spam or advertising.', 0),
                (4, 'Don''t identify anyone who chose anonymity, and don''t name people who caused harm in a way that could identify a survivor.', 0),
                (5, 'No impersonation of another person or organisation.', 0),
                (6, 'No hate: nothing that attacks people for who they are.', 0)
            """,
            // The target account is kept for actions, never shown for an anonymous voice.
            """
            CREATE TABLE reports (
                id BIGINT PRIMARY KEY,
                reporter_id BIGINT NOT NULL REFERENCES accounts(id),
                target_kind TEXT NOT NULL,
                voice_id BIGINT,
                account_id BIGINT NOT NULL REFERENCES accounts(id),
                category TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL DEFAULT 'open',
                action_id BIGINT,
                created_at BIGINT NOT NULL,
                resolved_at BIGINT,
                reporter_seen_at BIGINT
            )
            """,
            "CREATE INDEX reports_by_state ON reports (state, id)",
            "CREATE INDEX reports_by_reporter ON reports (reporter_id, id)",
            "CREATE INDEX reports_by_voice ON reports (voice_id)",
            // `month` (UTC, YYYY-MM) is written with the action, so the public counts need no date functions.
            """
            CREATE TABLE moderation_actions (
                id BIGINT PRIMARY KEY,
                moderator_id BIGINT NOT NULL REFERENCES accounts(id),
                action TEXT NOT NULL,
                rule_number BIGINT NOT NULL,
                reason TEXT NOT NULL,
                voice_id BIGINT,
                account_id BIGINT,
                month TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                subject_seen_at BIGINT,
                appeal_text TEXT,
                appeal_state TEXT,
                appealed_at BIGINT,
                appeal_reason TEXT,
                appeal_decided_by BIGINT,
                appeal_decided_at BIGINT,
                appeal_month TEXT
            )
            """,
            "CREATE INDEX moderation_actions_by_account ON moderation_actions (account_id, id)",
            "CREATE INDEX moderation_actions_by_appeal ON moderation_actions (appeal_state, id)",
            "CREATE INDEX voices_by_state ON voices (state, id)",
            // A belief from someone the author blocked is kept for its writer only: it is not counted.
            "ALTER TABLE beliefs ADD COLUMN silent BIGINT NOT NULL DEFAULT 0",
        ]
    }
}
