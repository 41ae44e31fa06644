import ChorusCore
import SQLKit

extension ChorusStore {
    /// Recounts every magnitude cell and hashtag trend, and each account's shown voices, from the voices and beliefs
    /// themselves, in one transaction (after a bulk load, or to check the running counts).
    public func rebuildMagnitude() async throws {
        try await database.write(limit: ChorusDatabase.bulkWriteLimit) { db in try await Self.recountMagnitude(db) }
    }

    static func recountMagnitude(_ db: any SQLDatabase) async throws {
        // What writes earlier in this batch added is written first, and so is recounted rather than added again.
        try await db.batchedCounts?.write(on: db)
        for table in ["magnitude_people", "magnitude_cell_parts", "tag_day_accounts", "tag_day_parts"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table)").run()
        }
        // Only rows whose mark changes are written: on PostgreSQL every updated row is a new row version, and a
        // whole-table update of millions of voices would double the table.
        try await db.raw(
            "UPDATE voices SET in_trends = 0 WHERE in_trends = 1 AND NOT (visibility IN ('public', 'anonymous') AND state = 'visible')"
        ).run()
        // Migration 3's cells, with each *me too* counted as `meTooKey` says; its hashtag days as migration 15 counts
        // them (each anonymous voice as itself).
        for statement in Self.meTooPeopleRecount { try await db.raw(SQLQueryString(statement)).run() }
        let meTooPeopleByAccount = { (statement: String) in statement.contains("INSERT INTO magnitude_people") && statement.contains("'metoo'") }
        for statement in Migration.m0003Backfill where !statement.contains("INSERT INTO tag_day") && !meTooPeopleByAccount(statement) {
            let statement = (statement.hasPrefix("UPDATE voices SET in_trends = 1") ? statement + " AND in_trends = 0" : statement)
                // Since migration 11 the cells are a view over their parts: a recount fills part 0.
                .replacingOccurrences(of: "INSERT INTO magnitude_cells (", with: "INSERT INTO magnitude_cell_parts (")
            try await db.raw(SQLQueryString(statement)).run()
        }
        for statement in Migration.trendsBackfill { try await db.raw(SQLQueryString(statement)).run() }
        // One grouped pass over the voices, not one look-up per account.
        try await db.raw("UPDATE accounts SET metoo_voices = 0 WHERE metoo_voices <> 0").run()
        try await db.raw(
            """
            UPDATE accounts SET metoo_voices = c.n
            FROM (SELECT account_id, COUNT(*) AS n FROM voices WHERE kind = 'metoo' GROUP BY account_id) AS c
            WHERE c.account_id = accounts.id
            """
        ).run()
        for statement in Migration.m0012Recount { try await db.raw(SQLQueryString(statement)).run() }
        let counts: [(Counter, String)] = [
            (.meTooPeople, "SELECT people AS n FROM magnitude_cells WHERE kind = 'metoo' AND period = 'all' AND country = '' AND start_at = 0"),
            (.beliefs, "SELECT COUNT(*) AS n FROM beliefs"),
            (.pledges, "SELECT COUNT(*) AS n FROM voices WHERE kind = 'pledge'"),
        ]
        for (counter, query) in counts {
            let value = try await db.raw(SQLQueryString(query)).first()?.int64("n") ?? 0
            try await db.raw("DELETE FROM counter_parts WHERE name = \(bind: counter.rawValue)").run()
            try await db.raw("INSERT INTO counter_parts (name, part, value) VALUES (\(bind: counter.rawValue), 0, \(bind: value))").run()
        }
    }

    /// Who said *me too* in each cell (hour, day, all time; every country and each one), each voice counted as
    /// `meTooKey` says: by account when public, as itself when anonymous, as its author's private self when only-me.
    static let meTooPeopleRecount: [String] = {
        let who = meTooKeySQL
        var statements: [String] = []
        for (period, millis, seconds) in [("hour", 3_600_000, 3600), ("day", 86_400_000, 86_400)] {
            statements.append(
                """
                INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
                SELECT 'metoo', '\(period)', '', start_at, who, COUNT(*) FROM (
                    SELECT \(who) AS who, (v.created_at / \(millis)) * \(seconds) AS start_at FROM voices v WHERE v.kind = 'metoo'
                ) s GROUP BY start_at, who
                """
            )
        }
        statements += [
            """
            INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
            SELECT 'metoo', 'all', '', 0, who, COUNT(*) FROM (SELECT \(who) AS who FROM voices v WHERE v.kind = 'metoo') s GROUP BY who
            """,
            """
            INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
            SELECT 'metoo', 'day', country, start_at, who, COUNT(*) FROM (
                SELECT v.country, \(who) AS who, (v.created_at / 86400000) * 86400 AS start_at FROM voices v
                WHERE v.kind = 'metoo' AND v.country IS NOT NULL
            ) s GROUP BY country, start_at, who
            """,
            """
            INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount)
            SELECT 'metoo', 'all', country, 0, who, COUNT(*) FROM (
                SELECT v.country, \(who) AS who FROM voices v WHERE v.kind = 'metoo' AND v.country IS NOT NULL
            ) s GROUP BY country, who
            """,
        ]
        return statements
    }()

    /// Fills an empty database with synthetic people and voices for benchmarks: `voices` voices (60 % *me too*, 20 %
    /// pledges, 20 % replies) by `people` accounts over the last `days` days, and a belief for every other *me too*.
    /// Refuses a database that already has accounts, so it can never mix invented voices with real ones.
    public func seedForBenchmark(voices: Int, people: Int, days: Int, now: Int64 = ChorusDatabase.now()) async throws {
        let people = max(people, 1)
        try await database.write(limit: ChorusDatabase.bulkWriteLimit) { db in
            if case .sqlite = database.engine {
                // A large page cache for the bulk load (this connection only): index pages stay in memory.
                try await db.raw("PRAGMA cache_size = -1048576").run()
            }
            guard try await db.raw("SELECT COUNT(*) AS n FROM accounts").first()?.int64("n") == 0 else {
                throw Refusal(.conflict, "This database already has accounts; seeding is only for an empty benchmark database.")
            }
            let batch = 500
            for start in stride(from: 0, to: people, by: batch) {
                var query: SQLQueryString = "INSERT INTO accounts (id, handle, display_handle, password_hash, created_at) VALUES "
                for index in start..<min(start + batch, people) {
                    if index > start { query.appendInterpolation(unsafeRaw: ", ") }
                    query.appendInterpolation(unsafeRaw: "(\(index + 1), 'seed\(index + 1)', 'seed\(index + 1)', '', \(now))")
                }
                try await db.raw(query).run()
            }
            // The voices are generated by the database itself, in one statement, instead of being sent as literal
            // rows (200,000 voices in 6 s on SQLite). Voice n (from 0): 60 % *me too* (n % 5 < 3), 20 % pledges, 20 %
            // replies to the *me too* just before (id - 2), a third of the *me too* with a country, every second one
            // believed, spread evenly over the days up to now.
            let span = Int64(max(days, 1)) * 86_400_000
            let countries = ["FR", "US", "DE", "ES", "BR", "IT", "GB", "MX"].enumerated()
                .map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")
            if voices > 0 {
                try await db.raw(
                    """
                    WITH RECURSIVE n(i) AS (
                        SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < \(unsafeRaw: String(voices))
                    )
                    INSERT INTO voices (id, account_id, kind, visibility, text, in_reply_to_id, thread_root_id, country, created_at,
                                        believe_count, in_trends)
                    SELECT i + 1, (i * 7919) % \(unsafeRaw: String(people)) + 1,
                        CASE WHEN i % 5 < 3 THEN 'metoo' WHEN i % 5 = 3 THEN 'pledge' ELSE 'reply' END,
                        'public',
                        CASE WHEN i % 5 < 3 THEN '#MeToo' WHEN i % 5 = 3 THEN 'I will listen. #IWill' ELSE 'I believe you.' END,
                        CASE WHEN i % 5 = 4 THEN i - 1 END,
                        CASE WHEN i % 5 = 4 THEN i - 1 ELSE i + 1 END,
                        CASE WHEN i % 5 < 3 AND i % 3 = 0 THEN CASE i % 8 \(unsafeRaw: countries) END END,
                        \(unsafeRaw: String(now - span)) + \(unsafeRaw: String(span)) * i / \(unsafeRaw: String(voices)),
                        CASE WHEN i % 5 < 3 AND i % 2 = 1 THEN 1 ELSE 0 END,
                        1
                    FROM n
                    """
                ).run()
            }
            try await db.raw(
                """
                INSERT INTO voice_tags (voice_id, tag) SELECT id, CASE kind WHEN 'pledge' THEN 'iwill' ELSE 'metoo' END FROM voices
                WHERE kind IN ('metoo', 'pledge')
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO beliefs (id, voice_id, account_id, created_at)
                SELECT id, id, (account_id % \(unsafeRaw: String(people))) + 1, created_at + 1000 FROM voices WHERE kind = 'metoo' AND id % 2 = 0
                """
            ).run()
            // Statistics for the planner before the recount reads the seeded voices.
            try await db.raw("ANALYZE").run()
        }
        try await rebuildMagnitude()
        // And again with the magnitude tables filled.
        try await database.write(limit: ChorusDatabase.bulkWriteLimit) { db in try await db.raw("ANALYZE").run() }
    }
}
