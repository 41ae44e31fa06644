import ChorusCore
import SQLKit

extension ChorusStore {
    /// Recounts every magnitude cell and hashtag trend from the voices and beliefs themselves, in one transaction
    /// (after a bulk load, or to check the running counts).
    public func rebuildMagnitude() async throws {
        try await database.write { db in
            for table in ["magnitude_people", "magnitude_cells", "tag_day_accounts", "tag_days"] {
                try await db.raw("DELETE FROM \(unsafeRaw: table)").run()
            }
            // Only rows whose mark changes are written: on PostgreSQL every updated row is a new row version, and a
            // whole-table update of millions of voices would double the table.
            try await db.raw(
                "UPDATE voices SET in_trends = 0 WHERE in_trends = 1 AND NOT (visibility IN ('public', 'anonymous') AND state = 'visible')"
            ).run()
            for statement in Migration.m0003Backfill {
                let statement = statement.hasPrefix("UPDATE voices SET in_trends = 1") ? statement + " AND in_trends = 0" : statement
                try await db.raw(SQLQueryString(statement)).run()
            }
            // One grouped pass over the voices, not one look-up per account.
            try await db.raw("UPDATE accounts SET metoo_voices = 0 WHERE metoo_voices <> 0").run()
            try await db.raw(
                """
                UPDATE accounts SET metoo_voices = c.n
                FROM (SELECT account_id, COUNT(*) AS n FROM voices WHERE kind = 'metoo' GROUP BY account_id) AS c
                WHERE c.account_id = accounts.id
                """
            ).run()
            let counts: [(Counter, String)] = [
                (.meTooPeople, "SELECT COUNT(*) AS n FROM accounts WHERE metoo_voices > 0"),
                (.beliefs, "SELECT COUNT(*) AS n FROM beliefs"),
                (.pledges, "SELECT COUNT(*) AS n FROM voices WHERE kind = 'pledge'"),
            ]
            for (counter, query) in counts {
                let value = try await db.raw(SQLQueryString(query)).first()?.int64("n") ?? 0
                try await db.raw("UPDATE counters SET value = \(bind: value) WHERE name = \(bind: counter.rawValue)").run()
            }
        }
    }

    /// Fills an empty database with synthetic people and voices for benchmarks: `voices` voices (60 % *me too*, 20 %
    /// pledges, 20 % replies) by `people` accounts over the last `days` days, and a belief for every other *me too*.
    /// Refuses a database that already has accounts, so it can never mix invented voices with real ones.
    public func seedForBenchmark(voices: Int, people: Int, days: Int, now: Int64 = ChorusDatabase.now()) async throws {
        let people = max(people, 1)
        try await database.write { db in
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
            let span = Int64(max(days, 1)) * 86_400_000
            let countries = ["FR", "US", "DE", "ES", "BR", "IT", "GB", "MX"]
            var lastMeToo: Int64 = 0
            for start in stride(from: 0, to: voices, by: batch) {
                var query: SQLQueryString = """
                    INSERT INTO voices (id, account_id, kind, visibility, text, in_reply_to_id, thread_root_id, country, created_at,
                                        believe_count, in_trends) VALUES
                    """
                for index in start..<min(start + batch, voices) {
                    let id = Int64(index + 1)
                    let at = now - span + span * Int64(index) / Int64(max(voices, 1))
                    let kind = index % 5 < 3 ? "metoo" : (index % 5 == 3 ? "pledge" : "reply")
                    let root = kind == "reply" && lastMeToo > 0 ? lastMeToo : id
                    let parent = kind == "reply" && lastMeToo > 0 ? String(lastMeToo) : "NULL"
                    let country = kind == "metoo" && index % 3 == 0 ? "'\(countries[index % countries.count])'" : "NULL"
                    let text = kind == "pledge" ? "I will listen. #IWill" : (kind == "metoo" ? "#MeToo" : "I believe you.")
                    if index > start { query.appendInterpolation(unsafeRaw: ", ") }
                    query.appendInterpolation(
                        unsafeRaw: "(\(id), \((index * 7919) % people + 1), '\(kind == "reply" && lastMeToo == 0 ? "metoo" : kind)', 'public', "
                            + "'\(text)', \(parent), \(root), \(country), \(at), \(kind == "metoo" && id % 2 == 0 ? 1 : 0), 1)")
                    if kind == "metoo" || lastMeToo == 0 { lastMeToo = id }
                }
                try await db.raw(query).run()
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
        try await database.write { db in try await db.raw("ANALYZE").run() }
    }
}
