import ChorusCore
import ChorusTestSupport
import Foundation
import Logging
import NIOPosix
import SQLKit
import Testing

@testable import ChorusStore

/// SQLite's commits are made durable beside the writer (`WALSync`): a write is answered after its WAL is synced, the
/// WAL is copied into the database by checkpoints of its own, and a WAL that can't be synced stops every write.
@Suite(.enabled(if: !TestDatabase.isPostgres, "the WAL and its sync are SQLite's"))
struct WALSyncTests {
    private static func sqlitePath() async throws -> String {
        guard case .sqlite(let path) = try await TestDatabase.freshEngine() else { throw NotSQLite() }
        return path
    }

    private struct NotSQLite: Error {}

    private static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func writesPastTheCheckpointSizeAreCopiedIntoTheDatabaseAndAllSurviveReopening() async throws {
        // setup
        let path = try await Self.sqlitePath()
        let database = try ChorusDatabase(engine: .sqlite(path: path), logger: Logger(label: "test"))
        try await database.write { db in try await db.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").run() }
        let sizeBefore = Self.fileSize(path)
        let body = String(repeating: "me too ", count: 600)  // about one 4 KiB page a row
        // act: more pages than one checkpoint's worth, written by many writers at once
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for row in 0..<160 {
                        let id = writer * 1000 + row
                        try await database.write { db in try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: id), \(bind: body))").run() }
                    }
                }
            }
            try await group.waitForAll()
        }
        // check: a checkpoint ran beside the writer, so the database file itself grew (it runs in the background)
        var sizeAfter = Self.fileSize(path)
        for _ in 0..<50 where sizeAfter < sizeBefore + WALSync.checkpointPages * 4096 {
            try await Task.sleep(for: .milliseconds(100))
            sizeAfter = Self.fileSize(path)
        }
        #expect(sizeAfter >= sizeBefore + WALSync.checkpointPages * 4096)
        await database.shutdown()
        // check: every acknowledged write is there after the database is opened again
        let reopened = try ChorusDatabase(engine: .sqlite(path: path), logger: Logger(label: "test"))
        let count = try await reopened.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
        #expect(count == 8 * 160)
        await reopened.shutdown()
    }

    /// Once an account is erased or a voice deleted, its words are in neither the database file nor its WAL: deleted
    /// rows are overwritten with zeros, and the WAL, which held the pages as they were, is emptied.
    @Test func erasedWordsLeaveTheDatabaseFileAndItsLog() async throws {
        // setup
        let path = try await Self.sqlitePath()
        let store = try await ChorusStore.open(.sqlite(path: path), logger: Logger(label: "test"))
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "my uncle Bartholomew Xylograph", visibility: .onlyMe), by: ana.id)
        let deleted = try await store.say(VoiceDraft(kind: .meToo, text: "at the Quillfeather office party"), by: bea.id).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id)
        // act
        try await store.deleteAccount(id: ana.id, voices: .erase)
        _ = try await store.runPendingJobs()
        try await store.deleteVoice(id: deleted.id, by: bea.id)
        // check (the WAL is emptied in the background)
        func stillThere(_ word: String) -> Bool {
            [path, path + "-wal"].contains { file in
                (FileManager.default.contents(atPath: file) ?? Data()).range(of: Data(word.utf8)) != nil
            }
        }
        for _ in 0..<50 where stillThere("Xylograph") || stillThere("Quillfeather") {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!stillThere("Xylograph"))
        #expect(!stillThere("Quillfeather"))
        #expect(try await store.newestVoices(viewer: nil).map(\.text) == ["me too"])
        await store.shutdown()
    }

    @Test func aWALThatGrewWhileAReaderHeldItIsCutBackOnceItStartsOver() async throws {
        // setup: a reader holds what it read, so no checkpoint can finish and the WAL grows past its limit
        let path = try await Self.sqlitePath()
        let wal = path + "-wal"
        let database = try ChorusDatabase(engine: .sqlite(path: path), logger: Logger(label: "test"))
        try await database.write { db in try await db.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").run() }
        let parts = try await HandBuiltSync(on: path)
        let reader = try parts.connection(.reader)
        try reader.runHere("BEGIN")
        _ = try await reader.raw("SELECT COUNT(*) AS n FROM notes").first()
        let body = String(repeating: "me too ", count: 600)  // about one 4 KiB page a row
        var written = 0
        func writeRows(_ count: Int) async throws {
            let ids = written..<written + count
            try await database.write { db in
                for id in ids { try await db.raw("INSERT INTO notes (id, body) VALUES (\(bind: id), \(bind: body))").run() }
            }
            written += count
        }
        while Self.fileSize(wal) <= WALSync.sizeLimit * 3 / 2 { try await writeRows(50) }
        let grown = Self.fileSize(wal)
        // act: the reader lets go, and writes go on (a checkpoint copies the WAL, and the writer then begins it again)
        try reader.runHere("COMMIT")
        var size = grown
        for _ in 0..<100 where size > WALSync.sizeLimit {
            try await writeRows(1)
            try await Task.sleep(for: .milliseconds(20))
            size = Self.fileSize(wal)
        }
        // check
        #expect(grown > WALSync.sizeLimit)
        #expect(size <= WALSync.sizeLimit)
        let count = try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
        #expect(count == written)
        reader.close()
        await database.shutdown()
        try await parts.close()
    }

    @Test func aWALThatCannotBeSyncedRefusesItsWriteAndEveryWriteAfter() async throws {
        // setup: a writer whose sync looks for its WAL where there is none
        let parts = try await HandBuiltSync()
        let writer = try parts.connection(.writer)
        let sync = parts.sync(walPath: parts.path + "-missing")
        let commits = GroupCommit(sync: sync) { batch in try await GroupCommit.run(batch, on: writer) }
        // act
        let first = await Result { try await commits.submit { db in try await db.raw("CREATE TABLE notes (id INTEGER)").run() } }
        let second = await Result { try await commits.submit { db in try await db.raw("INSERT INTO notes (id) VALUES (1)").run() } }
        // check: both are refused as storage being away (a 503), and the second never reached the database
        #expect(throws: WALSync.SyncFailed.self) { try first.get() }
        #expect(throws: WALSync.SyncFailed.self) { try second.get() }
        #expect(StorageUnavailable.matches(try #require(first.failure)))
        let rows = try await writer.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self)
        #expect(rows == 0)
        writer.close()
        try await parts.close()
    }

    @Test func afterAFailedSyncALaterCommitIsRefusedEvenWhenTheWALCouldBeSyncedAgain() async throws {
        // setup: a WAL that is not there at first
        let parts = try await HandBuiltSync()
        let wal = parts.path + "-later"
        let sync = parts.sync(walPath: wal)
        let first = await withCheckedContinuation { continuation in sync.afterCommit { continuation.resume(returning: $0) } }
        // act: the file appears, and another commit is told
        #expect(FileManager.default.createFile(atPath: wal, contents: Data()))
        let second = await withCheckedContinuation { continuation in sync.afterCommit { continuation.resume(returning: $0) } }
        // check: both are refused, with the first failure
        #expect(throws: WALSync.SyncFailed.self) { try first.get() }
        #expect(throws: WALSync.SyncFailed.self) { try second.get() }
        try await parts.close()
    }

    /// What a `WALSync` built by hand needs: a fresh database file, a thread pool and a connection for checkpoints.
    private struct HandBuiltSync {
        let path: String
        let threads = NIOThreadPool(numberOfThreads: 2)
        let logger = Logger(label: "test")
        let checkpointer: DirectSQLiteConnection

        /// On `existing`, a database already open, or else on a fresh one.
        init(on existing: String? = nil) async throws {
            if let existing { path = existing } else { path = try await WALSyncTests.sqlitePath() }
            threads.start()
            checkpointer = try DirectSQLiteConnection(
                path: path, role: .reader, blockingThreads: threads, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        }

        func connection(_ role: DirectSQLiteConnection.Role) throws -> DirectSQLiteConnection {
            try DirectSQLiteConnection(
                path: path, role: role, blockingThreads: threads, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        }

        func sync(walPath: String) -> WALSync {
            WALSync(
                walPath: walPath, threads: threads, checkpointer: checkpointer, walPages: { 0 }, logger: logger,
                metrics: WriteMetrics(engine: "sqlite"))
        }

        func close() async throws {
            checkpointer.close()
            try await threads.shutdownGracefully()
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }

    fileprivate var failure: (any Error)? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
