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
            try await db.raw("UPDATE voices SET in_trends = 0").run()
            for statement in Migration.m0003Backfill { try await db.raw(SQLQueryString(statement)).run() }
            try await db.raw(
                "UPDATE accounts SET metoo_voices = (SELECT COUNT(*) FROM voices v WHERE v.account_id = accounts.id AND v.kind = 'metoo')"
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
                    INSERT INTO voices (id, account_id, kind, visibility, text, in_reply_to_id, thread_root_id, country, created_at) VALUES
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
                            + "'\(text)', \(parent), \(root), \(country), \(at))")
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
            try await db.raw(
                "UPDATE voices SET believe_count = (SELECT COUNT(*) FROM beliefs b WHERE b.voice_id = voices.id) WHERE kind = 'metoo'"
            ).run()
        }
        try await rebuildMagnitude()
    }
}
