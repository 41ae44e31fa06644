import ChorusStore
import ChorusTestSupport
import Logging
import SQLKit
import Testing

/// The write path under every store: many writes at once, each whole or not at all, each with its own values, and
/// what a write reads back is what it wrote (on SQLite, through the writer's kept statements).
@Suite struct DatabaseWritesTests {
    private func freshDatabase() async throws -> ChorusDatabase {
        let database = try ChorusDatabase(engine: try await TestDatabase.freshEngine(), logger: Logger(label: "test"))
        try await database.write { db in
            try await db.raw("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, weight DOUBLE PRECISION, note TEXT)").run()
        }
        return database
    }

    @Test func twoWritesThatLockRowsInOppositeOrderBothCommit() async throws {
        // setup
        let database = try await freshDatabase()
        try await database.write { db in
            try await db.raw("INSERT INTO notes (id, body, weight) VALUES (1, 'a', 0), (2, 'b', 0)").run()
        }
        // act: each write takes one row, waits, then wants the other's; on PostgreSQL one of them is ended as a deadlock
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (first, second) in [(1, 2), (2, 1)] {
                group.addTask {
                    try await database.write { db in
                        try await db.raw("UPDATE notes SET weight = weight + 1 WHERE id = \(bind: first)").run()
                        try await Task.sleep(for: .milliseconds(300))
                        try await db.raw("UPDATE notes SET weight = weight + 1 WHERE id = \(bind: second)").run()
                    }
                }
            }
            try await group.waitForAll()
        }
        let weights = try await database.read { db in
            try await db.raw("SELECT weight FROM notes ORDER BY id").all().map { try $0.decode(column: "weight", as: Double.self) }
        }
        // check: the one ended was run again, so both counted, once each
        #expect(weights == [2, 2])
        await database.shutdown()
    }

    @Test func concurrentWritesEachKeepTheirOwnValuesAndAFailedOneLeavesNothing() async throws {
        let database = try await freshDatabase()
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for id in 1...200 {
                group.addTask {
                    do {
                        try await database.write { db in
                            try await db.raw(
                                "INSERT INTO notes (id, body, weight, note) VALUES (\(bind: id), \(bind: "note \(id)"), \(bind: Double(id) / 4), NULL)"
                            ).run()
                            // Every seventh write fails after its insert: the insert must not survive.
                            if id % 7 == 0 { try await db.raw("INSERT INTO notes (id) VALUES (\(bind: id))").run() }
                        }
                        return (id, true)
                    } catch {
                        return (id, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (id, committed) in group { outcomes[id] = committed }
            return outcomes
        }
        #expect(outcomes.count == 200)
        #expect(outcomes.filter { !$0.value }.keys.sorted() == Array(stride(from: 7, through: 200, by: 7)))
        let rows = try await database.read { db in try await db.raw("SELECT id, body, weight, note FROM notes ORDER BY id").all() }
        #expect(rows.count == 200 - 28)
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            #expect(id % 7 != 0)
            #expect(try row.decode(column: "body", as: String.self) == "note \(id)")
            #expect(try row.decode(column: "weight", as: Double.self) == Double(id) / 4)
            #expect(try row.decodeNil(column: "note"))
        }
        await database.shutdown()
    }

    @Test func aWriteReadsBackWhatItWroteWithTheSameStatementEachTime() async throws {
        let database = try await freshDatabase()
        for id in 1...5 {
            let read = try await database.write { db in
                try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: id), \(bind: String(repeating: "é", count: id)))").run()
                return try await db.raw("SELECT body, note FROM notes WHERE id = \(bind: id)").first()
                    .map { (try $0.decode(column: "body", as: String.self), try $0.decode(column: "note", as: String?.self)) }
            }
            #expect(read?.0 == String(repeating: "é", count: id))
            #expect(read?.1 == nil)
        }
        let missing = try await database.write { db in try await db.raw("SELECT body FROM notes WHERE id = \(bind: 99)").first() }
        #expect(missing == nil)
        await database.shutdown()
    }

    @Test func aStatementSQLiteRefusesIsAnErrorAndTheNextWriteGoesOn() async throws {
        let database = try await freshDatabase()
        await #expect(throws: (any Error).self) {
            try await database.write { db in try await db.raw("INSERT INTO no_such_table VALUES (1)").run() }
        }
        try await database.write { db in try await db.raw("INSERT INTO notes (id, body) VALUES (1, 'after')").run() }
        let body = try await database.read { db in
            try await db.raw("SELECT body FROM notes WHERE id = 1").first()?.decode(column: "body", as: String.self)
        }
        #expect(body == "after")
        await database.shutdown()
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "the time limit is PostgreSQL's: SQLite's writes share one writer"))
    func aWritePastItsLimitIsGivenUpAndLeavesNothingWhileALongerLimitLetsItCommit() async throws {
        // setup
        let database = try await freshDatabase()
        // act: the same slow write, under a limit it exceeds, then under one it doesn't
        await #expect(throws: TimeLimitReached.self) {
            try await database.write(limit: .milliseconds(200)) { db in
                try await db.raw("INSERT INTO notes (id, body) VALUES (1, 'too slow')").run()
                try await db.raw("SELECT pg_sleep(1)").run()
            }
        }
        try await database.write(limit: .seconds(20)) { db in
            try await db.raw("SELECT pg_sleep(1)").run()
            try await db.raw("INSERT INTO notes (id, body) VALUES (2, 'in time')").run()
        }
        // check
        let bodies = try await database.read { db in
            try await db.raw("SELECT body FROM notes ORDER BY id").all().map { try $0.decode(column: "body", as: String.self) }
        }
        #expect(bodies == ["in time"])
        await database.shutdown()
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "the time limit is PostgreSQL's: SQLite's reads are local"))
    func aReadPastItsLimitIsGivenUpAndTheNextReadsGoOn() async throws {
        // setup
        let database = try await freshDatabase()
        // act
        let started = ContinuousClock.now
        await #expect(throws: TimeLimitReached.self) {
            try await database.read(limit: .milliseconds(200)) { db in try await db.raw("SELECT pg_sleep(5)").run() }
        }
        let waited = ContinuousClock.now - started
        var answers: [Int] = []
        for number in 1...20 {
            let answer = try await database.read { db in try await db.raw("SELECT \(bind: number) AS n").first()?.decode(column: "n", as: Int.self) }
            answers.append(answer ?? 0)
        }
        // check: the caller was answered at the limit, not after the statement, and the pool serves every read after it
        #expect(waited < .seconds(4))
        #expect(answers == Array(1...20))
        await database.shutdown()
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "a statement given up mid-wait is PostgreSQL's: SQLite's reads are local"))
    func aReadWhoseTaskIsCancelledEndsAtOnceAndTheNextReadsGoOn() async throws {
        // setup
        let database = try await freshDatabase()
        // act: a read that would wait 30 s, cancelled (as the job worker is when Chorus stops) after 300 ms
        let started = ContinuousClock.now
        let read = Task { try await database.read(limit: .seconds(60)) { db in try await db.raw("SELECT pg_sleep(30)").run() } }
        try await Task.sleep(for: .milliseconds(300))
        read.cancel()
        let outcome = await read.result
        let waited = ContinuousClock.now - started
        var answers: [Int] = []
        for number in 1...20 {
            let answer = try await database.read { db in try await db.raw("SELECT \(bind: number) AS n").first()?.decode(column: "n", as: Int.self) }
            answers.append(answer ?? 0)
        }
        // check: the read ended when it was cancelled, not after its statement, and the pool serves every read after it
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(waited < .seconds(10))
        #expect(answers == Array(1...20))
        await database.shutdown()
    }
}
