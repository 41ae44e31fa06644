import ChorusCore
import SQLKit

extension ChorusStore {
    /// Counts one event for `key` under `limit`; throws `LimitReached` once the estimate is over it.
    ///
    /// A sliding window, estimated from two fixed ones kept in the database (so every instance shares them): the
    /// current window's count plus the previous window's, weighted by how much of it the sliding window still covers.
    /// Unlike a fixed window, it does not reset all at once at a boundary.
    public func count(_ limit: Limit, key: String, now: Int64 = ChorusDatabase.now()) async throws {
        try await database.write(readersSeeIt: false) { db in try await Self.count(db, limit, key: key, now: now) }
    }

    /// Counts one event inside the caller's transaction, so a refused write leaves no count and a counted one is
    /// stored with what it counted.
    public static func count(_ db: any SQLDatabase, _ limit: Limit, key: String, now: Int64 = ChorusDatabase.now()) async throws {
        let windowStart = now - now % limit.window
        let name = limit.name + ":" + key
        // One statement counts this window and reads the one before (a write on every post: one round trip, not two).
        let row = try await db.raw(
            """
            INSERT INTO rate_counts (key, window_start, count) VALUES (\(bind: name), \(bind: windowStart), 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counts.count + 1
            RETURNING count, (SELECT p.count FROM rate_counts p WHERE p.key = \(bind: name) AND p.window_start = \(bind: windowStart - limit.window))
                AS previous
            """
        ).first()
        let counts = (try row?.int("count") ?? 1, try row?.optionalInt64("previous").map(Int.init) ?? 0)
        if estimate(counts, limit: limit, now: now) > Double(limit.count) {
            throw LimitReached(limit: limit, retryAfter: retryAfter(limit: limit, now: now))
        }
    }

    /// Throws `LimitReached` when `key` has already used up `limit`, without counting.
    public func check(_ limit: Limit, key: String, now: Int64 = ChorusDatabase.now()) async throws {
        let windowStart = now - now % limit.window
        let name = limit.name + ":" + key
        let counts = try await database.read { db in
            let current =
                try await db.raw("SELECT count FROM rate_counts WHERE key = \(bind: name) AND window_start = \(bind: windowStart)")
                .first()?.int("count") ?? 0
            return (current, try await Self.previousCount(db, name: name, windowStart: windowStart, window: limit.window))
        }
        if Self.estimate(counts, limit: limit, now: now) >= Double(limit.count) {
            throw LimitReached(limit: limit, retryAfter: Self.retryAfter(limit: limit, now: now))
        }
    }

    private static func previousCount(_ db: any SQLDatabase, name: String, windowStart: Int64, window: Int64) async throws -> Int {
        try await db.raw("SELECT count FROM rate_counts WHERE key = \(bind: name) AND window_start = \(bind: windowStart - window)")
            .first()?.int("count") ?? 0
    }

    /// Rounded up: an event the sliding window still partly covers counts whole. Otherwise, just after a boundary,
    /// ten failures in the last minute would count as 9.99 and let one more guess through.
    private static func estimate(_ counts: (current: Int, previous: Int), limit: Limit, now: Int64) -> Double {
        let elapsed = Double(now % limit.window) / Double(limit.window)
        return (Double(counts.current) + Double(counts.previous) * (1 - elapsed)).rounded(.up)
    }

    private static func retryAfter(limit: Limit, now: Int64) -> Int {
        Int((limit.window - now % limit.window) / 1000) + 1
    }

    /// Drops windows that ended (a housekeeping job).
    public static func purgeRateCounts(_ db: any SQLDatabase, before: Int64) async throws {
        try await db.raw("DELETE FROM rate_counts WHERE window_start < \(bind: before)").run()
    }
}
