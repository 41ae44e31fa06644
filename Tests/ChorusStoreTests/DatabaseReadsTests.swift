import ChorusStore
import ChorusTestSupport
import Logging
import SQLKit
import Synchronization
import Testing

/// The read path under every store: more reads at once than there are reading connections, reads that may scan
/// (run apart from the threads requests share), reads that can't write, and reads refused after shutdown.
@Suite struct DatabaseReadsTests {
    private func databaseWithNotes(_ count: Int) async throws -> ChorusDatabase {
        let database = try ChorusDatabase(engine: try await TestDatabase.freshEngine(), logger: Logger(label: "test"))
        try await database.write { db in
            try await db.raw("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT)").run()
            for id in 1...count { try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: id), \(bind: "note \(id)"))").run() }
        }
        return database
    }

    @Test func aStatementSentOftenIsPreparedOnceAndAnswersAsBefore() async throws {
        // setup
        let database = try await databaseWithNotes(3)
        // act: one statement twenty times on one connection, with a value of each kind bound, and a NULL
        let (bodies, prepared) = try await database.read { db in
            var bodies: [String] = []
            for round in 0..<20 {
                let row = try await db.raw(
                    """
                    SELECT body FROM notes WHERE id = \(bind: Int64(round % 3 + 1)) AND body <> \(bind: "x") AND \(bind: true)
                        AND \(bind: 1.5) > 0 AND COALESCE(\(bind: nil as Int64?), 0) = 0
                    """
                ).first()
                bodies.append(try row?.decode(column: "body", as: String.self) ?? "none")
            }
            let prepared =
                TestDatabase.isPostgres
                ? try await db.raw("SELECT COUNT(*) AS n FROM pg_prepared_statements").first()?.decode(column: "n", as: Int.self) : nil
            return (bodies, prepared)
        }
        // check: on PostgreSQL it was prepared once, under a name, after its first uses
        #expect(bodies == (0..<20).map { "note \($0 % 3 + 1)" })
        #expect(prepared == (TestDatabase.isPostgres ? 1 : nil))
        await database.shutdown()
    }

    @Test func moreReadsAtOnceThanConnectionsEachGetTheirOwnAnswer() async throws {
        // setup
        let database = try await databaseWithNotes(40)
        let atOnce = ReadsAtOnce()
        // act: 40 reads that each hold their connection across a pause, more than either engine keeps open
        let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for id in 1...40 {
                group.addTask {
                    try await database.read(mayScan: id.isMultiple(of: 2)) { db in
                        atOnce.began()
                        defer { atOnce.ended() }
                        try await Task.sleep(for: .milliseconds(20))
                        let body = try await db.raw("SELECT body FROM notes WHERE id = \(bind: id)").first()?.decode(column: "body", as: String.self)
                        return (id, body)
                    }
                }
            }
            var answers: [Int: String?] = [:]
            for try await (id, body) in group { answers[id] = body }
            return answers
        }
        // check
        #expect(answers.count == 40)
        #expect(answers.allSatisfy { id, body in body == "note \(id)" })
        #expect(atOnce.most > 1, "reads ran side by side")
        await database.shutdown()
    }

    @Test func aReadThatMayScanSeesEveryRow() async throws {
        // setup
        let database = try await databaseWithNotes(300)
        // act
        let matching = try await database.read(mayScan: true) { db in
            try await db.raw("SELECT id FROM notes WHERE body LIKE \(bind: "%7%") ORDER BY id").all().map {
                try $0.decode(column: "id", as: Int.self)
            }
        }
        // check
        #expect(matching == (1...300).filter { String($0).contains("7") })
        await database.shutdown()
    }

    @Test(.enabled(if: !TestDatabase.isPostgres, "PostgreSQL's reads are plain pooled connections"))
    func aReadCannotWriteAndLeavesTheTableAsItWas() async throws {
        // setup
        let database = try await databaseWithNotes(1)
        // act
        await #expect(throws: (any Error).self) {
            try await database.read { db in try await db.raw("DELETE FROM notes").run() }
        }
        // check
        let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
        #expect(count == 1)
        await database.shutdown()
    }

    @Test func aReadAfterShutdownIsRefusedAsStorageAway() async throws {
        // setup
        let database = try await databaseWithNotes(1)
        // act
        await database.shutdown()
        let refusal: (any Error)?
        do {
            _ = try await database.read { db in try await db.raw("SELECT body FROM notes").all() }
            refusal = nil
        } catch {
            refusal = error
        }
        // check: answered like storage being away (a calm 503), not as a fault
        let error = try #require(refusal)
        #expect(StorageUnavailable.matches(error), "\(error)")
    }
}

/// How many reads were running at the same moment, at most.
private final class ReadsAtOnce: Sendable {
    private let counts = Mutex((now: 0, most: 0))

    func began() {
        counts.withLock { counts in
            counts.now += 1
            counts.most = max(counts.most, counts.now)
        }
    }

    func ended() { counts.withLock { $0.now -= 1 } }

    var most: Int { counts.withLock { $0.most } }
}
