import ChorusCore
import Foundation
import SQLKit

extension ChorusStore {
    /// The hashtags trending now, highest score first, each with its last 7 days (newest first). Only public and
    /// anonymous voices count; a day used by fewer than `Magnitude.minimumCell` accounts shows as 0 uses, 0 accounts.
    /// Computed from the day counts on every call: for tests and for the job that materialises them; pages and the
    /// API read `currentTrends(limit:)`.
    public func trendingTags(limit: Int, now: Int64 = ChorusDatabase.now()) async throws -> [TrendingTag] {
        try await database.read { db in try await Self.computeTrendingTags(db, limit: limit, now: now) }
    }

    static func computeTrendingTags(_ db: any SQLDatabase, limit: Int, now: Int64) async throws -> [TrendingTag] {
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        let yesterday = today - 86_400
        let limit = max(0, min(limit, 20))
        guard limit > 0 else { return [] }
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
        let days = try await weekOfCounts(db, tags: top.map(\.tag), endingOn: today)
        return top.map { entry in
            TrendingTag(name: entry.tag, history: TagDay.week(endingOn: today, counts: days[entry.tag] ?? [:]), score: entry.score)
        }
    }

    /// Each hashtag's uses and distinct accounts per day, for the seven days ending `today` (epoch seconds).
    static func weekOfCounts(_ db: any SQLDatabase, tags: [String], endingOn today: Int64) async throws
        -> [String: [Int64: (uses: Int, accounts: Int)]]
    {
        guard !tags.isEmpty else { return [:] }
        var query: SQLQueryString = "SELECT tag, day, uses, accounts FROM tag_days WHERE day > \(bind: today - 7 * 86_400) AND tag IN ("
        for (index, tag) in tags.enumerated() {
            if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
            query.appendInterpolation(bind: tag)
        }
        query.appendInterpolation(unsafeRaw: ")")
        var days: [String: [Int64: (uses: Int, accounts: Int)]] = [:]
        for row in try await db.raw(query).all() {
            days[try row.string("tag"), default: [:]][try row.int64("day")] = (try row.int("uses"), try row.int("accounts"))
        }
        return days
    }
}

/// Trending hashtags are materialised by a job (`trends.recompute`, once a minute, and soon after a hashtag reaches
/// or falls below the minimum number of people), so that pages and the API read one row instead of scoring every
/// hashtag of the day on each request.
extension ChorusStore {
    /// How often the trends job runs; a snapshot older than two periods is not trusted.
    public static let trendPeriod: Int64 = 60_000

    /// The trending hashtags as the last job computed them. A snapshot behind `changes` (a hashtag crossed the
    /// minimum since: publishing it a minute late, or keeping one that fell below, would be wrong), too old (no worker
    /// ran) or from another day is not used: they are then computed now.
    public func currentTrends(limit: Int) async throws -> [TrendingTag] {
        let now = ChorusDatabase.now()
        let row = try await database.read { db in
            try await db.raw("SELECT computed_at, changes, computed_changes, tags FROM trend_snapshots WHERE id = 1").first()
        }
        if let row, try row.int64("computed_changes") >= row.int64("changes") {
            let computedAt = try row.int64("computed_at")
            let sameDay = MagnitudePeriod.day.start(ofMilliseconds: computedAt) == MagnitudePeriod.day.start(ofMilliseconds: now)
            if computedAt >= now - 2 * Self.trendPeriod, sameDay,
                let stored = try? JSONDecoder().decode([StoredTrend].self, from: Data(try row.string("tags").utf8))
            {
                return stored.prefix(max(0, min(limit, 20))).map(\.tag)
            }
        }
        return try await trendingTags(limit: limit, now: now)
    }

    /// The job: scores today's hashtags and stores the top 20, marked with the count of crossings it saw before it
    /// read. A crossing while it ran leaves the snapshot behind `changes` (so not used), and a job that saw less than
    /// the stored snapshot does not overwrite it: two jobs running at once never hide a crossing.
    static func recomputeTrends(_ db: any SQLDatabase) async throws {
        let seen = try await db.raw("SELECT changes FROM trend_snapshots WHERE id = 1").first()?.int64("changes") ?? 0
        let now = ChorusDatabase.now()
        let tags = try await computeTrendingTags(db, limit: 20, now: now)
        let json = String(decoding: try JSONEncoder().encode(tags.map(StoredTrend.init)), as: UTF8.self)
        try await db.raw(
            """
            UPDATE trend_snapshots SET computed_at = \(bind: now), tags = \(bind: json), computed_changes = \(bind: seen)
            WHERE id = 1 AND computed_changes <= \(bind: seen)
            """
        ).run()
    }

    /// A hashtag reached or fell below the minimum number of people: the snapshot is not used until the job has
    /// run again, which is queued now (at most one every 5 seconds).
    ///
    /// The job is queued before the snapshot row is locked: a worker running that job holds its row and then takes the
    /// snapshot's, so taking them the other way round here could deadlock with it on PostgreSQL.
    static func trendInputsCrossedMinimum(_ db: any SQLDatabase) async throws {
        let now = ChorusDatabase.now()
        try await enqueue(db, kind: JobKind.recomputeTrends, uniqueKey: "\(JobKind.recomputeTrends):soon:\(now / 5_000)")
        try await db.raw("UPDATE trend_snapshots SET changes = changes + 1 WHERE id = 1").run()
    }

    struct StoredTrend: Codable {
        let name: String
        let score: Double
        let days: [[Int64]]

        init(_ tag: TrendingTag) {
            name = tag.name
            score = tag.score
            days = tag.history.map { [$0.day, Int64($0.uses), Int64($0.accounts)] }
        }

        var tag: TrendingTag {
            TrendingTag(
                name: name, history: days.compactMap { $0.count == 3 ? TagDay(day: $0[0], uses: Int($0[1]), accounts: Int($0[2])) : nil },
                score: score)
        }
    }
}
