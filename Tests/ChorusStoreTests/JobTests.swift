import ChorusCore
import ChorusStore
import ChorusTestSupport
import SQLKit
import Testing

/// Work outside requests: taken by any worker, done once, retried with backoff, and failed visibly at its limit.
@Suite struct JobTests {
    struct Broken: Error, CustomStringConvertible {
        var description: String { "the service it needed was down" }
    }

    static let countOnce: JobHandler = { _, db in
        try await db.raw("UPDATE counter_parts SET value = value + 1 WHERE name = 'jobs_run'").run()
    }

    func jobsRun(_ store: ChorusStore) async throws -> Int {
        try await store.database.read { db in
            try await db.raw("SELECT value FROM counters WHERE name = 'jobs_run'").first()?.decode(column: "value", as: Int.self) ?? -1
        }
    }

    @Test func lookingForWorkIsNoChangeForReadersButTheWorkIs() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        try await store.database.write { db in try await db.raw("INSERT INTO counter_parts (name, part, value) VALUES ('jobs_run', 0, 0)").run() }
        let start = store.database.changeCount
        // act
        let foundNothing = try await store.runNextJob(worker: "w", handlers: ["count": Self.countOnce])
        let afterLooking = store.database.changeCount
        try await store.enqueue(kind: "count")
        let afterEnqueueing = store.database.changeCount
        let foundOne = try await store.runNextJob(worker: "w", handlers: ["count": Self.countOnce])
        let afterWorking = store.database.changeCount
        // check
        #expect(!foundNothing && afterLooking == start)
        #expect(foundOne && afterWorking > afterEnqueueing)
        #expect(try await jobsRun(store) == 1)
        await store.shutdown()
    }

    @Test func eachJobIsDoneOnceWhenTwoWorkersRace() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        try await store.database.write { db in try await db.raw("INSERT INTO counter_parts (name, part, value) VALUES ('jobs_run', 0, 0)").run() }
        for _ in 0..<40 { try await store.enqueue(kind: "count") }
        // act
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in ["a", "b"] {
                group.addTask { while try await store.runNextJob(worker: worker, handlers: ["count": Self.countOnce]) {} }
            }
            try await group.waitForAll()
        }
        // check
        #expect(try await jobsRun(store) == 40)
        #expect(try await store.jobCounts(kind: "count") == [.done: 40])
        await store.shutdown()
    }

    @Test func throwingJobIsRetriedWithBackoffThenFailsVisibly() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let id = try await store.enqueue(kind: "flaky", maxAttempts: 3)
        let failing: JobHandler = { _, _ in throw Broken() }
        // act
        var runs = 0
        for _ in 0..<5 {
            if try await store.runNextJob(worker: "w", handlers: ["flaky": failing]) { runs += 1 }
            // Skip the backoff wait instead of sleeping through it.
            try await store.database.write { db in try await db.raw("UPDATE jobs SET run_at = 0 WHERE state = 'queued'").run() }
        }
        // check
        let job = try #require(try await store.job(id: id))
        #expect(runs == 3)
        #expect(job.state == .failed)
        #expect(job.attempts == 3)
        #expect(job.lastError == "the service it needed was down")
        #expect(ChorusStore.backoff(attempt: 1) == 1_000)
        #expect(ChorusStore.backoff(attempt: 3) == 4_000)
        #expect(ChorusStore.backoff(attempt: 30) == 300_000)
        await store.shutdown()
    }

    @Test func jobOfAWorkerThatDiedIsTakenAgainAfterItsLease() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        try await store.database.write { db in try await db.raw("INSERT INTO counter_parts (name, part, value) VALUES ('jobs_run', 0, 0)").run() }
        let id = try await store.enqueue(kind: "count")
        try await store.database.write { db in
            try await db.raw("UPDATE jobs SET state = 'running', locked_by = 'dead', locked_until = 1, attempts = 1 WHERE id = \(bind: id)").run()
        }
        // act
        let taken = try await store.runNextJob(worker: "alive", handlers: ["count": Self.countOnce])
        // check
        #expect(taken)
        #expect(try await jobsRun(store) == 1)
        #expect(try await store.job(id: id)?.state == .done)
        await store.shutdown()
    }

    @Test func jobWithTheSameUniqueKeyIsQueuedOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act
        try await store.enqueue(kind: "sessions.purge", uniqueKey: "sessions.purge:1")
        try await store.enqueue(kind: "sessions.purge", uniqueKey: "sessions.purge:1")
        // check
        #expect(try await store.jobCounts(kind: "sessions.purge") == [.queued: 1])
        await store.shutdown()
    }
}
