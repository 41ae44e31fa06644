@preconcurrency import AsyncKit
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import Synchronization

/// The one door to the database: reads, and writes that either commit whole or leave nothing behind.
public final class ChorusDatabase: Sendable {
    public let engine: DatabaseEngine
    /// How this process reaches PostgreSQL, read once from the engine's URL (nil on SQLite). The pool's connections and
    /// the notification channel's share it, and so share one TLS context.
    let postgresConfiguration: PostgresConnection.Configuration?
    let logger: Logger
    private let pool: Pool
    private let writer: Writer

    /// How writes reach the database.
    private enum Writer: Sendable {
        /// SQLite: one writer, in batches that share a commit (see `GroupCommit`).
        case batched(GroupCommit)
        /// PostgreSQL: each write in its own transaction, side by side, given up after the time limit it is given.
        case concurrent(@Sendable (TimeAmount, @escaping GroupCommit.Work) async throws -> any Sendable)
    }

    /// How long a write may wait on PostgreSQL before it is given up (see `write`).
    public static let writeLimit: TimeAmount = .seconds(30)
    /// How long a read may wait on PostgreSQL before it is given up (see `read`): a request's reads take milliseconds.
    public static let readLimit: TimeAmount = .seconds(30)
    /// How many times a PostgreSQL transaction ended by a conflict with another one is run in all.
    static let conflictAttempts = 3
    /// The limit for bulk maintenance run by an operator (a recount, a benchmark seed), which may rightly take minutes.
    public static let bulkWriteLimit: TimeAmount = .hours(6)
    /// SQLite's blocking calls run here, apart from the shared pool that bcrypt and file I/O use.
    private let sqliteThreads: NIOThreadPool?
    /// SQLite's one writing connection (reads have their own).
    private let sqliteWriter: DirectSQLiteConnection?
    /// SQLite's connection for checkpoints, which `WALSync` runs beside the writer.
    private let sqliteCheckpointer: DirectSQLiteConnection?
    /// SQLite's durability and checkpoints.
    private let walSync: WALSync?
    private let changes = Atomic<UInt64>(0)
    private let metrics: WriteMetrics

    /// How reads reach the database.
    private enum Pool: @unchecked Sendable {  // AsyncKit's pools lock internally; they predate Sendable annotations.
        case sqlite(SQLiteReaders)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>, PostgresStatements)
    }

    public init(engine: DatabaseEngine, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.engine = engine
        self.logger = logger
        let metrics = WriteMetrics(engine: engine.name)
        self.metrics = metrics
        switch engine {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let threads = NIOThreadPool(numberOfThreads: 4)
            // The writer opens first: a database that can't be opened leaves no threads or pool behind.
            let sqliteWriter = try DirectSQLiteConnection(
                path: path, role: .writer, blockingThreads: threads, logger: logger, eventLoop: eventLoopGroup.any()
            )
            threads.start()
            postgresConfiguration = nil
            sqliteThreads = threads
            self.sqliteWriter = sqliteWriter
            pool = .sqlite(
                SQLiteReaders(limit: 8) {
                    try DirectSQLiteConnection(path: path, role: .reader, blockingThreads: threads, logger: logger, eventLoop: eventLoopGroup.any())
                }
            )
            guard let walPath = sqliteWriter.walPath else {
                throw DirectSQLiteError.noWAL
            }
            let checkpointer = try DirectSQLiteConnection(
                path: path, role: .reader, blockingThreads: threads, logger: logger, eventLoop: eventLoopGroup.any()
            )
            sqliteCheckpointer = checkpointer
            let sync = WALSync(
                walPath: walPath, threads: threads, checkpointer: checkpointer, walPages: { sqliteWriter.pagesInWAL }, logger: logger,
                metrics: metrics
            )
            walSync = sync
            writer = .batched(
                GroupCommit(sync: sync) { batch in
                    metrics.batchWrites.record(batch.count)
                    return try await GroupCommit.run(batch, on: sqliteWriter)
                })
        case .postgres(let url):
            let configuration = SQLPostgresConfiguration(coreConfiguration: try PostgresURL.configuration(url))
            postgresConfiguration = configuration.coreConfiguration
            sqliteThreads = nil
            sqliteWriter = nil
            sqliteCheckpointer = nil
            walSync = nil
            let postgresPool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: Self.postgresConnectionsPerLoop(loops: eventLoopGroup.makeIterator().reduce(0) { count, _ in count + 1 }),
                requestTimeout: .seconds(5), logger: logger, on: eventLoopGroup
            )
            let statements = PostgresStatements()
            pool = .postgres(postgresPool, statements)
            // Each write is its own transaction, side by side with the others. (Batching them, as for SQLite, was
            // measured slower: one connection's round trips then bound every write.)
            writer = .concurrent { [logger] limit, work in
                try await Self.withConnection(from: postgresPool, statements, limit: limit, logger: logger) { db in
                    var attempt = 1
                    while true {
                        try await db.raw("BEGIN").run()
                        do {
                            let value = try await work(db)
                            try await db.raw("COMMIT").run()
                            return value
                        } catch {
                            try? await db.raw("ROLLBACK").run()
                            // PostgreSQL ended it to break a deadlock (or a serialization conflict): nothing of it was
                            // kept, so it is run again, as its caller would have to.
                            guard attempt < Self.conflictAttempts, TransactionConflict.matches(error) else { throw error }
                            attempt += 1
                        }
                    }
                }
            }
        }
    }

    /// The PostgreSQL connections one instance opens at most for requests and jobs (plus one for live updates), however
    /// many cores it has: sized by cores, a 16-core host took 129 and PostgreSQL's default `max_connections` is 100.
    public static let postgresConnections = 16

    /// `postgresConnections` shared among the event loops (each loop has its own pool), at least 2 each.
    static func postgresConnectionsPerLoop(loops: Int) -> Int {
        max(2, postgresConnections / max(loops, 1))
    }

    /// Runs `body` on a pooled PostgreSQL connection, or gives up on it after `limit`.
    ///
    /// A connection cut while PostgreSQL restarts can leave a statement waiting for good (closing the connection does
    /// not end the wait). After the limit the caller gets `TimeLimitReached` (a 503), and the connection is closed (so a
    /// write on it can't commit later) and handed back.
    private static func withConnection<T: Sendable>(
        from pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, _ statements: PostgresStatements, limit: TimeAmount,
        logger: Logger, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let connection = try await pool.requestConnection(logger: logger).get()
        let released = Once()
        let release: @Sendable () -> Void = {
            if released.claim() { pool.releaseConnection(connection, logger: logger) }
        }
        return try await withDeadline(
            limit, on: connection.eventLoop,
            onGiveUp: { reason in
                if reason is TimeLimitReached {
                    logger.warning(
                        "A statement waited \(limit.nanoseconds / 1_000_000_000) s on PostgreSQL; it is given up and its connection closed.")
                } else {
                    logger.debug("A statement was given up because Chorus is stopping; its connection is closed.")
                }
                connection.close().whenComplete { _ in release() }
            }
        ) {
            defer { release() }
            return try await body(PostgresStatementDatabase(connection: connection, statements: statements))
        }
    }

    /// Whether writes have stopped for good: on SQLite, once its log could not be synced to the disk (a failing disk).
    /// Only a restart brings them back.
    public var writesStopped: Bool { walSync?.hasFailed ?? false }

    /// What to do when writes stop for good (see `writesStopped`); `chorus serve` stops, for its supervisor to restart it.
    public func whenWritesStop(_ action: @escaping @Sendable () -> Void) {
        walSync?.onFailure(action)
    }

    /// After a deletion has committed: the deleted words leave every file the database keeps. SQLite overwrites deleted
    /// rows with zeros (`secure_delete`), but the log (the WAL) still holds the pages as they were before, until it is
    /// written over; it is copied into the database and emptied now, beside the writer. PostgreSQL's dead rows are
    /// cleared by its own vacuum.
    public func clearDeletedWords() {
        walSync?.emptyLog()
    }

    /// Runs `body` on one pooled connection, without a transaction.
    ///
    /// `mayScan` is for a read that may go through many rows (a search in every voice's text): on SQLite its
    /// statements then run on the thread pool, where a long one holds up no other request. On PostgreSQL a read still
    /// waiting after `limit` is given up (`TimeLimitReached`), as a write is.
    public func read<T: Sendable>(
        mayScan: Bool = false, limit: TimeAmount = ChorusDatabase.readLimit, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        switch pool {
        case .sqlite(let readers):
            return try await readers.read(mayScan: mayScan, body)
        case .postgres(let pool, let statements):
            return try await Self.withConnection(from: pool, statements, limit: limit, logger: logger, body)
        }
    }

    /// Runs `body` in one transaction: everything it wrote is committed together, or nothing is.
    ///
    /// `readersSeeIt: false` is for bookkeeping no reader is shown (job claims, rate counts): it leaves `changeCount`
    /// alone, so answers kept for signed-out readers stay good. On PostgreSQL a write still waiting after `limit` is
    /// given up (`TimeLimitReached`) and rolled back.
    public func write<T: Sendable>(
        readersSeeIt: Bool = true, limit: TimeAmount = ChorusDatabase.writeLimit, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let start = DispatchTime.now()
        let result: T
        do {
            switch writer {
            case .batched(let groupCommit):
                result = try await groupCommit.submit(body)
            case .concurrent(let run):
                guard let typed = try await run(limit, { try await body($0) }) as? T else {
                    preconditionFailure("A write returned a value of another type.")
                }
                result = typed
            }
        } catch {
            if StorageUnavailable.matches(error) { metrics.unavailable.increment() }
            throw error
        }
        metrics.committed.recordInterval(since: start)
        if readersSeeIt { noteChange() }
        return result
    }

    /// How many writes have committed through this process (and changes reported by other instances): whatever was
    /// read before this number moved may be out of date. Read it before reading what it guards.
    public var changeCount: UInt64 { changes.load(ordering: .acquiring) }

    /// Something changed that this process's own writes don't show: a write by another instance.
    public func noteChange() {
        changes.add(1, ordering: .releasing)
    }

    /// Runs `body`, or gives up on it after `limit` or when the calling task is cancelled (Chorus is stopping):
    /// then `onGiveUp` runs and the caller gets `TimeLimitReached` or `CancellationError`, while `body` is left to end
    /// (or not) on its own. The deadline is a timer on `eventLoop`, not a task of its own.
    public static func withDeadline<T: Sendable>(
        _ limit: TimeAmount, on eventLoop: any EventLoop, onGiveUp: @escaping @Sendable (_ reason: any Error) -> Void,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let answered = Once()
        let answer = LateContinuation<T>()
        let giveUp: @Sendable (any Error) -> Void = { reason in
            guard answered.claim() else { return }
            onGiveUp(reason)
            answer.resume(with: .failure(reason))
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                answer.handOver(continuation)
                let deadline = eventLoop.scheduleTask(in: limit) { giveUp(TimeLimitReached()) }
                Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await body()) } catch { result = .failure(error) }
                    deadline.cancel()
                    if answered.claim() { answer.resume(with: result) }
                }
            }
        } onCancel: {
            giveUp(CancellationError())
        }
    }

    public func shutdown() async {
        switch pool {
        case .sqlite(let readers):
            readers.close()
            sqliteWriter?.close()
            // The threads stop first: a checkpoint under way ends, and one only asked for is not begun on a closed
            // connection (it logged a warning at every stop).
            try? await sqliteThreads?.shutdownGracefully()
            sqliteCheckpointer?.close()
        case .postgres(let pool, _): try? await pool.shutdownAsync()
        }
    }

    /// Milliseconds since the epoch: every timestamp in the database.
    public static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A read or write waited on the database past its limit and was given up (a write given up was not acknowledged).
/// Answered like storage being away.
public struct TimeLimitReached: Error {}

/// A continuation that may be answered before it is handed over: a task cancelled before it began to wait is answered
/// as soon as it does. It is answered once (its callers claim a `Once` first).
final class LateContinuation<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var answer: Result<T, any Error>?
    }
    private let state = Mutex(State())

    func handOver(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
        deliver()
    }

    func resume(with answer: Result<T, any Error>) {
        state.withLock { $0.answer = answer }
        deliver()
    }

    /// Resumes the continuation once both it and its answer are here (whichever came second delivers).
    private func deliver() {
        let ready: (CheckedContinuation<T, any Error>, Result<T, any Error>)? = state.withLock { state in
            guard let continuation = state.continuation, let answer = state.answer else { return nil }
            state.continuation = nil
            return (continuation, answer)
        }
        if let (continuation, answer) = ready { continuation.resume(with: answer) }
    }
}

/// True for the first caller of `claim()` only: whichever of two racing paths gets there first acts.
final class Once: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
