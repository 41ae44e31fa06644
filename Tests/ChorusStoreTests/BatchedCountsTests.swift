import ChorusTestSupport
import Foundation
import Logging
import NIOPosix
import SQLKit
import Testing

@testable import ChorusStore

/// SQLite's writer adds a batch's counts once, before its commit (`BatchedCounts`): a write rolled back takes its
/// additions back, and a recount in the same batch is not counted over again.
@Suite(.enabled(if: !TestDatabase.isPostgres, "batches are SQLite's one writer"))
struct BatchedCountsTests {
    private struct Refused: Error {}

    /// A migrated database's writer, run by hand so that a batch holds exactly the writes a test gives it.
    private struct Writer {
        let threads = NIOThreadPool(numberOfThreads: 1)
        let connection: DirectSQLiteConnection

        init() async throws {
            let engine = try await TestDatabase.freshEngine()
            guard case .sqlite(let path) = engine else { throw Refused() }
            await try ChorusStore.open(engine, logger: Logger(label: "test")).shutdown()
            threads.start()
            connection = try DirectSQLiteConnection(
                path: path, role: .writer, blockingThreads: threads, logger: Logger(label: "test"),
                eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        }

        /// Everyone's *I believe you* of all time: (people, taps), and the beliefs total.
        func beliefs() async throws -> (people: Int, taps: Int, total: Int) {
            let cell = try await connection.raw(
                "SELECT people, amount FROM magnitude_cells WHERE kind = 'believe' AND period = 'all' AND country = ''"
            ).first()
            let total = try await connection.raw("SELECT value FROM counters WHERE name = 'beliefs'").first()
            return (try cell?.int("people") ?? 0, try cell?.int("amount") ?? 0, try total?.int("value") ?? 0)
        }

        func close() async throws {
            connection.close()
            try await threads.shutdownGracefully()
        }
    }

    private static func believe(by account: Int64, fails: Bool = false) -> GroupCommit.Work {
        { db in
            try await ChorusStore.recordBelief(by: account, at: ChorusDatabase.now(), db)
            try await ChorusStore.add(1, to: .beliefs, db)
            if fails { throw Refused() }
            return account
        }
    }

    @Test func aWriteRolledBackTakesItsAdditionsBackAndTheOthersAreAllCounted() async throws {
        // setup
        let writer = try await Writer()
        // act: one batch of five beliefs by four people, the second one refused after it counted
        let batch = [
            Self.believe(by: 1), Self.believe(by: 2, fails: true), Self.believe(by: 3), Self.believe(by: 3), Self.believe(by: 4),
        ]
        let outcomes = try await GroupCommit.run(batch, on: writer.connection)
        // check
        #expect(outcomes.map { (try? $0.get()) == nil } == [false, true, false, false, false])
        let counted = try await writer.beliefs()
        #expect(counted.people == 3)
        #expect(counted.taps == 4)
        #expect(counted.total == 4)
        try await writer.close()
    }

    @Test func aRecountInTheSameBatchIsNotCountedOverAgain() async throws {
        // setup
        let writer = try await Writer()
        let recount: GroupCommit.Work = { db in
            try await ChorusStore.recountMagnitude(db)
            return 0
        }
        // act: two beliefs counted with no belief behind them, then a recount from the beliefs there are, in one batch
        _ = try await GroupCommit.run([Self.believe(by: 1), Self.believe(by: 2), recount], on: writer.connection)
        // check: the recount's figures stand, and what the two added is not added again at the commit
        let counted = try await writer.beliefs()
        #expect(counted.taps == 0)
        #expect(counted.total == 0)
        try await writer.close()
    }
}
