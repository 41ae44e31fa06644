extension Migration {
    /// Counts kept as voices are written, so the magnitude page reads the same few rows at 10 voices and at 10 million:
    /// per-hour, per-day, all-time and per-country cells with the distinct people behind each, and hashtag use per day.
    static let m0003Magnitude = Migration(number: 3, name: "magnitude") { _ in
        [
            // The country a person chose to give with a *me too* (ISO alpha-2); never shown with the voice.
            "ALTER TABLE voices ADD COLUMN country TEXT",
            // Whether the voice's hashtags were counted in the trends (public or anonymous, and visible, when written).
            "ALTER TABLE voices ADD COLUMN in_trends BIGINT NOT NULL DEFAULT 0",
            """
            CREATE TABLE magnitude_people (
                kind TEXT NOT NULL,
                period TEXT NOT NULL,
                country TEXT NOT NULL,
                start_at BIGINT NOT NULL,
                account_id BIGINT NOT NULL,
                amount BIGINT NOT NULL,
                PRIMARY KEY (kind, period, country, start_at, account_id)
            )
            """,
            """
            CREATE TABLE magnitude_cells (
                kind TEXT NOT NULL,
                period TEXT NOT NULL,
                country TEXT NOT NULL,
                start_at BIGINT NOT NULL,
                people BIGINT NOT NULL,
                amount BIGINT NOT NULL,
                PRIMARY KEY (kind, period, country, start_at)
            )
            """,
            """
            CREATE TABLE tag_day_accounts (
                tag TEXT NOT NULL,
                day BIGINT NOT NULL,
                account_id BIGINT NOT NULL,
                uses BIGINT NOT NULL,
                first_at BIGINT NOT NULL,
                PRIMARY KEY (tag, day, account_id)
            )
            """,
            """
            CREATE TABLE tag_days (
                tag TEXT NOT NULL,
                day BIGINT NOT NULL,
                uses BIGINT NOT NULL,
                accounts BIGINT NOT NULL,
                last_account_at BIGINT NOT NULL,
                PRIMARY KEY (tag, day)
            )
            """,
            "CREATE INDEX tag_days_by_day ON tag_days (day, accounts)",
        ] + m0003Backfill
    }

    /// Counts what was written before this migration (and rebuilds the counts from scratch after a bulk load).
    static let m0003Backfill: [String] = {
        // (kind, source rows, account column, time column, extra filter)
        let sources = [
            ("metoo", "voices", "account_id", "created_at", "kind = 'metoo'"),
            ("pledge", "voices", "account_id", "created_at", "kind = 'pledge'"),
            ("believe", "beliefs", "account_id", "created_at", "1 = 1"),
        ]
        var statements: [String] = []
        for (kind, table, account, time, filter) in sources {
            for (period, millis, seconds) in [("hour", 3_600_000, 3600), ("day", 86_400_000, 86_400)] {
                statements.append(
                    """
                    INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
                    SELECT '\(kind)', '\(period)', '', start_at, account_id, COUNT(*) FROM (
                        SELECT \(account) AS account_id, (\(time) / \(millis)) * \(seconds) AS start_at FROM \(table) WHERE \(filter)
                    ) s GROUP BY start_at, account_id
                    """
                )
            }
            statements.append(
                """
                INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
                SELECT '\(kind)', 'all', '', 0, \(account), COUNT(*) FROM \(table) WHERE \(filter) GROUP BY \(account)
                """
            )
        }
        statements += [
            """
            INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
            SELECT 'metoo', 'day', country, start_at, account_id, COUNT(*) FROM (
                SELECT country, account_id, (created_at / 86400000) * 86400 AS start_at FROM voices WHERE kind = 'metoo' AND country IS NOT NULL
            ) s GROUP BY country, start_at, account_id
            """,
            """
            INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
            SELECT 'metoo', 'all', country, 0, account_id, COUNT(*) FROM voices WHERE kind = 'metoo' AND country IS NOT NULL
            GROUP BY country, account_id
            """,
            """
            INSERT INTO magnitude_cells (kind, period, country, start_at, people, amount)
            SELECT kind, period, country, start_at, COUNT(*), SUM(amount) FROM magnitude_people GROUP BY kind, period, country, start_at
            """,
            "UPDATE voices SET in_trends = 1 WHERE visibility IN ('public', 'anonymous') AND state = 'visible'",
            """
            INSERT INTO tag_day_accounts (tag, day, account_id, uses, first_at)
            SELECT vt.tag, (v.created_at / 86400000) * 86400, v.account_id, COUNT(*), MIN(v.created_at)
            FROM voice_tags vt JOIN voices v ON v.id = vt.voice_id WHERE v.in_trends = 1
            GROUP BY vt.tag, (v.created_at / 86400000) * 86400, v.account_id
            """,
            """
            INSERT INTO tag_days (tag, day, uses, accounts, last_account_at)
            SELECT tag, day, SUM(uses), COUNT(*), MAX(first_at) FROM tag_day_accounts GROUP BY tag, day
            """,
        ]
        return statements
    }()
}
