import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// Limits count events per key in fixed windows shared through the database. A refused event is not counted.
@Suite struct RateLimitTests {
    @Test func limitIsReachedAfterItsCountAndEasesOffAsTheWindowSlides() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let limit = Limit(name: "test", count: 3, window: 60_000, message: "wait")
        let now: Int64 = 1_800_000_000_000
        // act
        for _ in 0..<3 { try await store.count(limit, key: "ana", now: now) }
        await #expect(throws: LimitReached.self) { try await store.check(limit, key: "ana", now: now + 1) }
        await #expect(throws: LimitReached.self) { try await store.count(limit, key: "ana", now: now + 2) }
        // check
        try await store.check(limit, key: "bea", now: now)
        // Right after the boundary the previous window still counts almost fully (and whole: 2.99995 of 3 is 3); half a
        // window later half of it; a window later it is forgotten.
        await #expect(throws: LimitReached.self) { try await store.check(limit, key: "ana", now: now + 60_001) }
        await #expect(throws: LimitReached.self) { try await store.count(limit, key: "ana", now: now + 60_001) }
        try await store.check(limit, key: "ana", now: now + 90_000)
        try await store.check(limit, key: "ana", now: now + 120_000)
        try await store.count(limit, key: "ana", now: now + 120_000)
        await store.shutdown()
    }
}
