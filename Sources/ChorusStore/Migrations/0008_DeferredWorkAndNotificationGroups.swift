extension Migration {
    /// Work moved out of requests, and notifications grouped for the person they are for:
    /// - `accounts.erasing`: an account whose voices are being erased by a job; its voices are hidden at once.
    /// - `notifications.group_key`: beliefs and replies about one voice (and follows of one day) share a key.
    /// - `trend_snapshots`: trending hashtags as the last job computed them, read instead of recomputed.
    /// - `data_exports`: archives of a person's data, prepared by a job and downloadable for a week.
    static let m0008DeferredWorkAndNotificationGroups = Migration(number: 8, name: "deferred_work_and_notification_groups") { _ in
        [
            "ALTER TABLE accounts ADD COLUMN erasing BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE notifications ADD COLUMN group_key TEXT",
            """
            UPDATE notifications SET group_key = CASE type
                WHEN 'favourite' THEN 'favourite-' || CAST(voice_id AS TEXT)
                WHEN 'mention' THEN 'mention-' || COALESCE(
                    CAST((SELECT v.in_reply_to_id FROM voices v WHERE v.id = notifications.voice_id) AS TEXT), CAST(voice_id AS TEXT))
                WHEN 'follow' THEN 'follow-' || CAST(created_at / 86400000 AS TEXT)
                ELSE 'ungrouped-' || CAST(id AS TEXT) END
            """,
            "CREATE INDEX notifications_by_group ON notifications (account_id, group_key, id)",
            """
            CREATE TABLE trend_snapshots (
                id BIGINT PRIMARY KEY,
                computed_at BIGINT NOT NULL,
                changes BIGINT NOT NULL DEFAULT 1,
                computed_changes BIGINT NOT NULL DEFAULT 0,
                tags TEXT NOT NULL DEFAULT '[]'
            )
            """,
            "INSERT INTO trend_snapshots (id, computed_at, changes, computed_changes, tags) VALUES (1, 0, 1, 0, '[]')",
            """
            CREATE TABLE data_exports (
                id BIGINT PRIMARY KEY,
                account_id BIGINT NOT NULL,
                state TEXT NOT NULL DEFAULT 'preparing',
                content TEXT,
                created_at BIGINT NOT NULL,
                ready_at BIGINT,
                expires_at BIGINT
            )
            """,
            "CREATE INDEX data_exports_by_account ON data_exports (account_id, id)",
        ]
    }
}
