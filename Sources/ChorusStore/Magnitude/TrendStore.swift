import ChorusCore
import Foundation
import SQLKit

/// Hashtags in use now (a simple version: the last 7 days of listed, visible voices).
extension ChorusStore {
    public func trendingTags(limit: Int) async throws -> [TrendingTag] {
        let dayLength: Int64 = 86_400
        let now = ChorusDatabase.now()
        let today = (now / 1000) / dayLength * dayLength
        let since = (today - 6 * dayLength) * 1000
        let rows: [(tag: String, day: Int64, account: Int64)] = try await database.read { db in
            try await db.raw(
                """
                SELECT t.tag, v.created_at, v.account_id FROM voice_tags t JOIN voices v ON v.id = t.voice_id
                WHERE v.visibility <> 'only_me' AND v.state = 'visible' AND v.created_at >= \(bind: since)
                """
            ).all().map { (try $0.string("tag"), (try $0.int64("created_at") / 1000) / dayLength * dayLength, try $0.int64("account_id")) }
        }
        var uses: [String: [Int64: Int]] = [:]
        var people: [String: [Int64: Set<Int64>]] = [:]
        for row in rows {
            uses[row.tag, default: [:]][row.day, default: 0] += 1
            people[row.tag, default: [:]][row.day, default: []].insert(row.account)
        }
        let ranked = uses.keys.sorted { left, right in
            let a = people[left]?.values.reduce(0) { $0 + $1.count } ?? 0
            let b = people[right]?.values.reduce(0) { $0 + $1.count } ?? 0
            return a != b ? a > b : left < right
        }
        return ranked.prefix(max(0, limit)).map { tag in
            TrendingTag(
                name: tag,
                history: (0..<7).map { offset in
                    let day = today - Int64(offset) * dayLength
                    return TagDay(day: day, uses: uses[tag]?[day] ?? 0, accounts: people[tag]?[day]?.count ?? 0)
                }
            )
        }
    }
}
