import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import SQLKit
import Testing

/// Work moved out of requests onto the jobs table: account erasure and trend materialisation. Each job kind is done
/// once when two workers race, and a job that throws ends failed after its retry limit.
@Suite struct DeferredWorkTests {
    func people(_ store: ChorusStore, _ handles: [String]) async throws -> [Account] {
        var accounts: [Account] = []
        for handle in handles { accounts.append(try await store.createAccount(handle: try Handle(handle), passwordHash: "x", recoveryCodes: [])) }
        return accounts
    }

    func rows(_ store: ChorusStore, _ sql: String) async throws -> Int {
        try await store.database.read { db in try await db.raw(SQLQueryString(sql)).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    /// Two workers take jobs until none is left.
    func race(_ store: ChorusStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in ["a", "b"] {
                group.addTask { while try await store.runNextJob(worker: worker, handlers: store.jobHandlers) {} }
            }
            try await group.waitForAll()
        }
    }

    /// Runs one job kind to its limit with the backoff skipped, as `JobTests` does.
    func runToLimit(_ store: ChorusStore, attempts: Int) async throws {
        for _ in 0..<attempts {
            _ = try await store.runNextJob(worker: "w", handlers: store.jobHandlers)
            try await store.database.write { db in try await db.raw("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").run() }
        }
    }

    @Test func deletedAccountIsHiddenAtOnceThenErasedByTheJob() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["ana", "bea"])
        let (ana, bea) = (group[0], group[1])
        try await store.createSession(accountID: ana.id, token: "ana-session")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too #Erased"), by: ana.id).voice
        let reply = try await store.say(VoiceDraft(kind: .reply, text: "I believe you.", inReplyTo: voice.id), by: bea.id).voice
        let beasVoice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id).voice
        _ = try await store.believe(voiceID: beasVoice.id, by: ana.id)
        _ = try await store.believe(voiceID: voice.id, by: bea.id)
        try await store.notifyBelief(voiceID: beasVoice.id, by: ana.id)
        // act
        let totalsBefore = try await store.magnitude()
        try await store.deleteAccount(id: ana.id, voices: .erase)
        let hiddenVoice = try await store.voice(id: voice.id, viewer: nil)
        let hiddenFromBea = try await store.voice(id: voice.id, viewer: bea.id)
        let replyInTheThread = try await store.voice(id: reply.id, viewer: nil)
        let newest = try await store.newestVoices(viewer: nil)
        let session = try await store.account(sessionToken: "ana-session")
        let handle = try await store.account(handle: "ana")
        let beasNotifications = try await store.notifications(accountID: bea.id)
        let queued = try await store.jobCounts(kind: ChorusStore.JobKind.eraseAccount)
        let voicesBefore = try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE account_id = \(ana.id)")
        let ran = try await store.runPendingJobs()
        // check: hidden and signed out in the request; the rows and their counts go with the job
        #expect(hiddenVoice == nil)
        #expect(hiddenFromBea == nil)
        #expect(replyInTheThread == nil)
        #expect(newest.map(\.id) == [beasVoice.id])
        #expect(session == nil)
        #expect(handle == nil)
        #expect(beasNotifications.isEmpty)
        #expect(queued == [.queued: 1])
        #expect(voicesBefore == 1)
        #expect(ran >= 1)
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.eraseAccount) == [.done: 1])
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE account_id = \(ana.id) OR id = \(reply.id)") == 0)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM beliefs WHERE account_id = \(ana.id)") == 0)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM notifications WHERE from_account_id = \(ana.id)") == 0)
        #expect(try await store.voice(id: beasVoice.id, viewer: nil)?.believeCount == 0)
        #expect(try await store.magnitude() == totalsBefore)  // an erased account leaves the totals as they are
        await store.shutdown()
    }

    /// Erasing with the anonymous voices later: the named voices go at once, the anonymous ones (with their threads)
    /// stay as anyone's until a random moment of the next days, so their going is not tied to the account's.
    @Test func anonymousVoicesCanBeErasedAtALaterRandomMoment() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["ana", "bea"])
        let (ana, bea) = (group[0], group[1])
        let named = try await store.say(VoiceDraft(kind: .meToo, text: "by name"), by: ana.id).voice
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "quietly", visibility: .anonymous), by: ana.id).voice
        let another = try await store.say(VoiceDraft(kind: .meToo, text: "quietly again", visibility: .anonymous), by: ana.id).voice
        let reply = try await store.say(VoiceDraft(kind: .reply, text: "I believe you.", inReplyTo: anonymous.id), by: bea.id).voice
        let namedThreadReply = try await store.say(VoiceDraft(kind: .reply, text: "I believe you.", inReplyTo: named.id), by: bea.id).voice
        // act
        try await store.deleteAccount(id: ana.id, voices: .eraseAnonymousLater)
        let namedAtOnce = try await store.voice(id: named.id, viewer: nil)
        let anonymousAtOnce = try await store.voice(id: anonymous.id, viewer: nil)
        let replyAtOnce = try await store.voice(id: reply.id, viewer: nil)
        try await store.runPendingJobs()
        let waiting = try await store.jobCounts(kind: ChorusStore.JobKind.eraseAccount)
        let anonymousAfterFirstJob = try await store.voice(id: anonymous.id, viewer: nil)
        let soonest = try await rows(store, "SELECT MIN(run_at) AS n FROM jobs WHERE state = 'queued'")
        // Each anonymous voice has its own moment: gone together, they would be tied to each other.
        let moments = try await rows(
            store, "SELECT COUNT(DISTINCT run_at) AS n FROM jobs WHERE kind = '\(ChorusStore.JobKind.eraseAnonymousVoice)' AND state = 'queued'")
        let namedReplyAfterFirstJob = try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE id = \(namedThreadReply.id)")
        try await store.database.write { db in try await db.raw("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").run() }
        try await store.runPendingJobs()
        // check
        #expect(namedAtOnce == nil)
        #expect(anonymousAtOnce?.author == .someone)
        #expect(replyAtOnce != nil)
        #expect(waiting[.queued] == 1)
        #expect(anonymousAfterFirstJob != nil)
        #expect(moments == 2)
        #expect(namedReplyAfterFirstJob == 0)
        #expect(try await store.voice(id: another.id, viewer: nil) == nil)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE id = \(named.id)") == 0)
        let earliest = ChorusDatabase.now() + VoicesOnDeletion.anonymousDelay / 6 - 60_000
        #expect(soonest >= Int(earliest))
        #expect(try await store.voice(id: anonymous.id, viewer: nil) == nil)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE account_id = \(ana.id) OR id = \(reply.id)") == 0)
        await store.shutdown()
    }

    @Test func keptVoicesBecomeSomeonesAtOnceAndOnlyMeVoicesGoWithTheJob() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await people(store, ["ana"])[0]
        let kept = try await store.say(VoiceDraft(kind: .meToo, text: "kept"), by: ana.id).voice
        let journal = try await store.say(VoiceDraft(kind: .meToo, text: "mine", visibility: .onlyMe), by: ana.id).voice
        // act
        try await store.deleteAccount(id: ana.id, voices: .keepAnonymously)
        let atOnce = try await store.voice(id: kept.id, viewer: nil)
        try await store.runPendingJobs()
        // check
        #expect(atOnce?.author == .someone)
        #expect(atOnce?.visibility == .anonymous)
        #expect(try await store.voice(id: kept.id, viewer: nil)?.author == .someone)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE id = \(journal.id)") == 0)
        // The totals as they were: the named voice, and the journal apart from it (see `meTooKey`).
        #expect(try await store.magnitude().meTooPeople == 2)
        await store.shutdown()
    }

    @Test func eachErasureIsDoneOnceWhenTwoWorkersRace() async throws {
        // setup: five people each believe one survivor's voice, then all five delete their accounts
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["ana", "p1", "p2", "p3", "p4", "p5"])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: group[0].id).voice
        let keeper = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: group[0].id).voice
        for person in group.dropFirst() {
            _ = try await store.believe(voiceID: voice.id, by: person.id)
            _ = try await store.believe(voiceID: keeper.id, by: person.id)
            _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too #Together"), by: person.id)
        }
        let totalsBefore = try await store.magnitude()
        for person in group.dropFirst() { try await store.deleteAccount(id: person.id, voices: .erase) }
        // act
        try await race(store)
        // check: a job run twice would take beliefs and people out twice
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.eraseAccount) == [.done: 5])
        #expect(try await store.voice(id: voice.id, viewer: nil)?.believeCount == 0)
        #expect(try await store.voice(id: keeper.id, viewer: nil)?.believeCount == 0)
        #expect(try await store.magnitude() == totalsBefore)  // an erased account leaves the totals as they are
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices") == 2)
        await store.shutdown()
    }

    @Test func bigAccountIsErasedInChainedJobsDoneOnceByTwoWorkers() async throws {
        // setup: 60 beliefs and 150 voices: more than one job's share (100), so the work is handed on twice
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["ana", "bea"])
        let (ana, bea) = (group[0], group[1])
        var beas: [Voice] = []
        for _ in 0..<60 { beas.append(try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id).voice) }
        for voice in beas { _ = try await store.believe(voiceID: voice.id, by: ana.id) }
        for index in 0..<150 { _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too #Many\(index % 3)"), by: ana.id) }
        let totalsBefore = try await store.magnitude()
        try await store.deleteAccount(id: ana.id, voices: .erase)
        // act
        try await race(store)
        // check
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.eraseAccount) == [.done: 3])
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE account_id = \(ana.id)") == 0)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM beliefs") == 0)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM voices WHERE believe_count <> 0") == 0)
        #expect(try await store.magnitude() == totalsBefore)  // an erased account leaves the totals as they are
        await store.shutdown()
    }

    @Test func erasureJobThatThrowsEndsFailedAfterItsLimit() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let id = try await store.enqueue(kind: ChorusStore.JobKind.eraseAccount, payload: "not an account", maxAttempts: 3)
        // act
        try await runToLimit(store, attempts: 5)
        // check
        let job = try #require(try await store.job(id: id))
        #expect(job.state == .failed)
        #expect(job.attempts == 3)
        #expect(job.lastError?.contains("payload") == true)
        await store.shutdown()
    }

    @Test func trendsAreMaterialisedByTheJobAndAMinimumCrossedIsSeenAtOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, (0..<12).map { "t\($0)" })
        var voices: [Voice] = []
        for person in group.prefix(10) {
            voices.append(try await store.say(VoiceDraft(kind: .meToo, text: "#Rise"), by: person.id).voice)
        }
        // act
        let crossed = try await store.currentTrends(limit: 10)
        try await store.runPendingJobs()
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Rise"), by: group[10].id)
        let fromSnapshot = try await store.currentTrends(limit: 10)
        let live = try await store.trendingTags(limit: 10)
        try await store.scheduleRecurringJobs(now: ChorusDatabase.now() + ChorusStore.trendPeriod)
        try await store.runPendingJobs()
        let refreshed = try await store.currentTrends(limit: 10)
        for (index, voice) in voices.prefix(2).enumerated() { try await store.deleteVoice(id: voice.id, by: group[index].id) }
        let fellBelow = try await store.currentTrends(limit: 10)
        // check: reaching 10 people is published at once, later growth with the next run, falling below at once
        #expect(crossed.map(\.name) == ["rise"])
        #expect(fromSnapshot.first?.history.first?.accounts == 10)
        #expect(live.first?.history.first?.accounts == 11)
        #expect(refreshed.first?.history.first?.accounts == 11)
        #expect(fellBelow.isEmpty)
        await store.shutdown()
    }

    @Test func trendsJobIsDoneOncePerPeriodWhenTwoWorkersRace() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let now = ChorusDatabase.now()
        // act: both workers schedule the same period, then race for the jobs
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { try await store.scheduleRecurringJobs(now: now) } }
            try await group.waitForAll()
        }
        try await race(store)
        // check
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.recomputeTrends) == [.done: 1])
        #expect(try await store.currentTrends(limit: 10).isEmpty)
        await store.shutdown()
    }

    @Test func trendsJobThatThrowsEndsFailedAfterItsLimit() async throws {
        // setup: the snapshot table is gone, so the job cannot store what it computed
        let store = try await TestDatabase.freshStore()
        try await store.database.write { db in try await db.raw("DROP TABLE trend_snapshots").run() }
        let id = try await store.enqueue(kind: ChorusStore.JobKind.recomputeTrends, maxAttempts: 2)
        // act
        try await runToLimit(store, attempts: 4)
        // check
        let job = try #require(try await store.job(id: id))
        #expect(job.state == .failed)
        #expect(job.attempts == 2)
        #expect(job.lastError != nil)
        await store.shutdown()
    }

    @Test func exportArchiveIsPreparedByTheJobAndOnlyItsOwnerCanDownloadIt() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["ana", "bea"])
        let (ana, bea) = (group[0], group[1])
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too, archived"), by: ana.id)
        // act
        let asked = try await store.requestExport(accountID: ana.id)
        let askedAgain = try await store.requestExport(accountID: ana.id)
        let whilePreparing = try await store.exportArchiveFile(id: asked.id, accountID: ana.id)
        try await store.runPendingJobs()
        let archives = try await store.exportArchives(accountID: ana.id)
        let file = try #require(try await store.exportArchiveFile(id: asked.id, accountID: ana.id))
        let byBea = try await store.exportArchiveFile(id: asked.id, accountID: bea.id)
        let exported = try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: Any]
        try await store.deleteAccount(id: ana.id, voices: .erase)
        try await store.runPendingJobs()
        // check
        #expect(asked.state == .preparing)
        #expect(askedAgain.id == asked.id)
        #expect(whilePreparing == nil)
        #expect(archives.map(\.state) == [.ready])
        let expiresAt = try #require(archives.first?.expiresAt)
        #expect(abs(expiresAt - ChorusDatabase.now() - ChorusStore.exportLifetime) < 60_000)
        #expect((exported?["voices"] as? [[String: Any]])?.first?["text"] as? String == "me too, archived")
        #expect(byBea == nil)
        #expect(try await rows(store, "SELECT COUNT(*) AS n FROM data_exports") == 0)
        await store.shutdown()
    }

    @Test func eachExportIsBuiltOnceWhenTwoWorkersRace() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, ["e1", "e2", "e3", "e4"])
        for person in group { try await store.requestExport(accountID: person.id) }
        // act
        try await race(store)
        // check
        #expect(try await store.jobCounts(kind: ChorusStore.JobKind.buildExport) == [.done: 4])
        for person in group { #expect(try await store.exportArchives(accountID: person.id).map(\.state) == [.ready]) }
        await store.shutdown()
    }

    @Test func exportJobThatThrowsEndsFailedAfterItsLimit() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let id = try await store.enqueue(kind: ChorusStore.JobKind.buildExport, payload: "no archive", maxAttempts: 2)
        // act
        try await runToLimit(store, attempts: 4)
        // check
        let job = try #require(try await store.job(id: id))
        #expect(job.state == .failed)
        #expect(job.attempts == 2)
        await store.shutdown()
    }
}
