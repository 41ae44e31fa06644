extension Migration {
    /// Every Mastodon account entity (the author of each status an app is sent, the writer of each *me too* the API
    /// answers) carries `statuses_count` and `last_status_at`. Both were read from the author's voices: the count
    /// visited an index entry per shown voice, and the latest date a table row per shown voice, 0.5 ms for an account
    /// with a thousand voices, on every status. The count is now kept on the account as voices are written (and counted
    /// again when one is deleted, hidden or shown), and the latest date is read from the end of an index.
    static let m0012ShownVoicesPerAccount = Migration(number: 12, name: "shown_voices_per_account") { _ in
        ["ALTER TABLE accounts ADD COLUMN shown_voices BIGINT NOT NULL DEFAULT 0"] + m0012Recount + [
            "DROP INDEX voices_shown_by_account",
            "CREATE INDEX voices_shown_by_account_at ON voices (account_id, visibility, state, created_at)",
        ]
    }

    /// Counts every account's shown voices (public and visible) in one grouped pass; also what a magnitude rebuild runs.
    static let m0012Recount = [
        "UPDATE accounts SET shown_voices = 0 WHERE shown_voices <> 0",
        """
        UPDATE accounts SET shown_voices = c.n
        FROM (SELECT account_id, COUNT(*) AS n FROM voices WHERE visibility = 'public' AND state = 'visible' GROUP BY account_id) AS c
        WHERE c.account_id = accounts.id
        """,
    ]
}
