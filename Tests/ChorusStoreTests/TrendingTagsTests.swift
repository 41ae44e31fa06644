import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import Testing

/// Hashtags trending by distinct accounts per day, from voices everyone may read.
@Suite struct TrendingTagsTests {
    func people(_ store: ChorusStore, _ count: Int) async throws -> [Account] {
        var accounts: [Account] = []
        for index in 0..<count {
            accounts.append(try await store.createAccount(handle: try Handle("t\(index)"), passwordHash: "x", recoveryCodes: []))
        }
        return accounts
    }

    @Test func tagUsedByTenPeopleTodayTrendsWithItsHistory() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 12)
        // act
        for person in group.prefix(11) {
            _ = try await store.say(VoiceDraft(kind: .meToo, text: "#StillHere", visibility: .anonymous), by: person.id)
        }
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#StillHere again"), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Quiet"), by: group[11].id)
        let trends = try await store.trendingTags(limit: 10)
        // check
        #expect(trends.map(\.name) == ["stillhere"])
        let first = try #require(trends.first)
        #expect(first.history.count == 7)
        // Eleven anonymous voices count as eleven, and t0's open one as one more: an anonymous voice counts as itself,
        // never as its author's account (which would tell that t0 wrote one of them).
        #expect(first.history[0] == TagDay(day: MagnitudePeriod.day.start(ofMilliseconds: ChorusDatabase.now()), uses: 12, accounts: 12))
        #expect(first.history[1].day == first.history[0].day - 86_400)
        #expect(first.history.dropFirst().allSatisfy { $0.uses == 0 && $0.accounts == 0 })
        #expect(abs(first.score - 121) < 0.01)  // (12 − 1)² / 1, just now
        await store.shutdown()
    }

    @Test func onlyMeAndDeletedVoicesDoNotTrend() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 10)
        var voices: [Voice] = []
        for person in group.prefix(9) {
            voices.append(try await store.say(VoiceDraft(kind: .meToo, text: "#Hidden"), by: person.id).voice)
        }
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Hidden", visibility: .onlyMe), by: group[9].id)
        let withOnlyMe = try await store.trendingTags(limit: 10)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Hidden", visibility: .public), by: group[9].id)
        let withTen = try await store.trendingTags(limit: 10)
        // act
        try await store.deleteVoice(id: voices[0].id, by: group[0].id)
        // check
        #expect(withOnlyMe.isEmpty)
        #expect(withTen.map(\.name) == ["hidden"])
        #expect(try await store.trendingTags(limit: 10).isEmpty)
        await store.shutdown()
    }

    @Test func trendFadesAndYesterdaysBaselineCounts() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 12)
        for person in group { _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Grow"), by: person.id) }
        let now = ChorusDatabase.now()
        // act
        let fresh = try await store.trendingTags(limit: 1, now: now)
        let endOfDay = MagnitudePeriod.day.start(ofMilliseconds: now) * 1000 + 86_399_999
        let later = try await store.trendingTags(limit: 1, now: endOfDay)
        // the next day, nobody yet: nothing trends; yesterday's 12 is the baseline
        let nextDay = try await store.trendingTags(limit: 1, now: now + 86_400_000)
        // check
        let score = try #require(fresh.first?.score)
        #expect(abs(score - 121) < 0.5)
        let expected = score * pow(0.5, Double(endOfDay - now) / 1000 / TrendScore.halfLife)
        #expect(abs((later.first?.score ?? 0) - expected) <= expected * 0.01 + 0.01)
        #expect(nextDay.isEmpty)
        #expect(try await store.trendingTags(limit: 0).isEmpty)
        await store.shutdown()
    }

    @Test func aTagReachingTheMinimumWhileTheTrendsJobRunsIsWrittenAtOnce() async throws {
        // setup: nine people used #Rise today, and the trends job queued for this moment is running, slowly
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 10)
        for person in group.prefix(9) { _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Rise"), by: person.id) }
        try await store.runPendingJobs()
        try await store.database.write { db in try await db.raw("DELETE FROM jobs").run() }
        // The queued job's key and the crossing's both name the 5-second window they fall in: starting early in one
        // keeps both in it (across a boundary there would be two jobs, and the test would fail one time in ten).
        let intoWindow = ChorusDatabase.now() % 5_000
        if intoWindow > 2_000 { try await Task.sleep(for: .milliseconds(5_050 - intoWindow)) }
        let now = ChorusDatabase.now()
        _ = try await store.enqueue(
            kind: ChorusStore.JobKind.recomputeTrends, uniqueKey: "\(ChorusStore.JobKind.recomputeTrends):soon:\(now / 5_000)")
        let slowTrends: JobHandler = { _, db in
            try await Task.sleep(for: .milliseconds(400))
            try await db.raw("UPDATE trend_snapshots SET computed_at = computed_at WHERE id = 1").run()
        }
        // act: the tenth person says it while the job holds its row (and then wants the snapshot's)
        async let ran = store.runPendingJobs(extra: [ChorusStore.JobKind.recomputeTrends: slowTrends])
        try await Task.sleep(for: .milliseconds(100))
        let tenth = try await store.say(VoiceDraft(kind: .meToo, text: "#Rise"), by: group[9].id)
        // check
        #expect(try await ran >= 1)
        #expect(tenth.voice.text == "#Rise")
        let failures = try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE last_error IS NOT NULL").first()?.decode(column: "n", as: Int.self)
        }
        #expect(failures == 0, "neither was ended as a deadlock")
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.recomputeTrends)[.done] == 1)
        let trends = try await store.currentTrends(limit: 10)
        #expect(trends.map(\.name) == ["rise"])
        #expect(trends.first?.history.first?.accounts == 10)
        await store.shutdown()
    }
}
