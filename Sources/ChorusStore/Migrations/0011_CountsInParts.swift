extension Migration {
    /// The counts every *me too* adds to (today's and all time's cells, and #MeToo's day) are kept in parts, summed
    /// when read: on PostgreSQL each write took the one row's lock until it committed, so writes from every
    /// connection queued on it (142 ms a write, measured). A write adds to one part chosen at random (`CountParts`);
    /// the views keep the tables' old names and columns, so every read is unchanged.
    static let m0011CountsInParts = Migration(number: 11, name: "counts_in_parts") { _ in
        [
            """
            CREATE TABLE magnitude_cell_parts (
                kind TEXT NOT NULL,
                period TEXT NOT NULL,
                country TEXT NOT NULL,
                start_at BIGINT NOT NULL,
                part BIGINT NOT NULL DEFAULT 0,
                people BIGINT NOT NULL,
                amount BIGINT NOT NULL,
                PRIMARY KEY (kind, period, country, start_at, part)
            )
            """,
            """
            INSERT INTO magnitude_cell_parts (kind, period, country, start_at, part, people, amount)
            SELECT kind, period, country, start_at, 0, people, amount FROM magnitude_cells
            """,
            "DROP TABLE magnitude_cells",
            """
            CREATE VIEW magnitude_cells AS
            SELECT kind, period, country, start_at, CAST(SUM(people) AS BIGINT) AS people, CAST(SUM(amount) AS BIGINT) AS amount
            FROM magnitude_cell_parts GROUP BY kind, period, country, start_at
            """,
            """
            CREATE TABLE tag_day_parts (
                tag TEXT NOT NULL,
                day BIGINT NOT NULL,
                part BIGINT NOT NULL DEFAULT 0,
                uses BIGINT NOT NULL,
                accounts BIGINT NOT NULL,
                last_account_at BIGINT NOT NULL,
                PRIMARY KEY (tag, day, part)
            )
            """,
            """
            INSERT INTO tag_day_parts (tag, day, part, uses, accounts, last_account_at)
            SELECT tag, day, 0, uses, accounts, last_account_at FROM tag_days
            """,
            "DROP TABLE tag_days",
            "CREATE INDEX tag_day_parts_by_day ON tag_day_parts (day)",
            """
            CREATE VIEW tag_days AS
            SELECT tag, day, CAST(SUM(uses) AS BIGINT) AS uses, CAST(SUM(accounts) AS BIGINT) AS accounts,
                MAX(last_account_at) AS last_account_at
            FROM tag_day_parts GROUP BY tag, day
            """,
        ]
    }
}
