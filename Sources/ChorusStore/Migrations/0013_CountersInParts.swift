extension Migration {
    /// The three running totals are kept in parts too, as the magnitude's cells are since migration 11: on PostgreSQL a
    /// person's first *me too* (on a viral day, nearly every *me too*) and every *I believe you* added to one row, which
    /// stayed locked until the write committed, so those writes queued behind each other (208 ms each, measured with
    /// 64 connections). The view keeps the table's old name and columns, so every read is unchanged.
    static let m0013CountersInParts = Migration(number: 13, name: "counters_in_parts") { _ in
        [
            """
            CREATE TABLE counter_parts (
                name TEXT NOT NULL,
                part BIGINT NOT NULL,
                value BIGINT NOT NULL,
                PRIMARY KEY (name, part)
            )
            """,
            "INSERT INTO counter_parts (name, part, value) SELECT name, 0, value FROM counters",
            "DROP TABLE counters",
            "CREATE VIEW counters AS SELECT name, CAST(SUM(value) AS BIGINT) AS value FROM counter_parts GROUP BY name",
        ]
    }
}
