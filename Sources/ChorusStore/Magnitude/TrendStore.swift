import ChorusCore
import SQLKit

extension ChorusStore {
    /// The hashtags trending now, highest score first, each with its last 7 days (newest first). Only public and
    /// anonymous voices count; a day used by fewer than `Magnitude.minimumCell` accounts shows as 0 uses, 0 accounts.
    public func trendingTags(limit: Int, now: Int64 = ChorusDatabase.now()) async throws -> [TrendingTag] {
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        let yesterday = today - 86_400
        let limit = max(0, min(limit, 20))
        guard limit > 0 else { return [] }
        return try await database.read { db in
            let candidates = try await db.raw(
                """
                SELECT t.tag, t.accounts, t.last_account_at, y.accounts AS yesterday
                FROM tag_days t LEFT JOIN tag_days y ON y.tag = t.tag AND y.day = \(bind: yesterday)
                WHERE t.day = \(bind: today) AND t.accounts >= \(bind: TrendScore.minimumAccounts)
                """
            ).all()
            var scored: [(tag: String, score: Double)] = []
            for row in candidates {
                let age = Double(now - (try row.int64("last_account_at"))) / 1000
                let score = TrendScore.score(
                    today: try row.int("accounts"), yesterday: Int(try row.optionalInt64("yesterday") ?? 0), secondsSinceLastNewAccount: age)
                if score > 0 { scored.append((try row.string("tag"), score)) }
            }
            scored.sort { ($0.score, $1.tag) > ($1.score, $0.tag) }
            let top = Array(scored.prefix(limit))
            guard !top.isEmpty else { return [] }
            var query: SQLQueryString = "SELECT tag, day, uses, accounts FROM tag_days WHERE day > \(bind: today - 7 * 86_400) AND tag IN ("
            for (index, entry) in top.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: entry.tag)
            }
            query.appendInterpolation(unsafeRaw: ")")
            var days: [String: [Int64: (uses: Int, accounts: Int)]] = [:]
            for row in try await db.raw(query).all() {
                days[try row.string("tag"), default: [:]][try row.int64("day")] = (try row.int("uses"), try row.int("accounts"))
            }
            return top.map { entry in
                let history = (0..<7).map { back -> TagDay in
                    let day = today - Int64(back) * 86_400
                    let use = days[entry.tag]?[day] ?? (0, 0)
                    let shown = use.accounts >= Magnitude.minimumCell
                    return TagDay(day: day, uses: shown ? use.uses : 0, accounts: shown ? use.accounts : 0)
                }
                return TrendingTag(name: entry.tag, history: history, score: entry.score)
            }
        }
    }
}
