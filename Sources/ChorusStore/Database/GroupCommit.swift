import SQLKit

/// SQLite's single writer, fed in batches: writes that arrive while one batch runs wait and go together in
/// the next, each inside its own savepoint. A write whose work fails rolls back to its savepoint alone; the rest
/// commit. Every caller is answered only once the commit that holds its write is on the disk (`WALSync`), so nothing
/// acknowledged is lost, and one sync serves many writes; the writer goes on with the next batch while it runs.
actor GroupCommit {
    typealias Work = @Sendable (any SQLDatabase) async throws -> any Sendable
    private struct Pending: Sendable {
        let work: Work
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    /// Runs one batch on one connection and returns each write's outcome.
    typealias Runner = @Sendable (_ batch: [Work]) async throws -> [Result<any Sendable, any Error>]

    private var queue: [Pending] = []
    private var draining = false
    private let maxBatch: Int
    private let runner: Runner
    /// Answers a committed batch once it is durable, and refuses every batch after a failed sync.
    private let sync: WALSync

    init(maxBatch: Int = 256, sync: WALSync, runner: @escaping Runner) {
        self.maxBatch = maxBatch
        self.sync = sync
        self.runner = runner
    }

    func submit<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            queue.append(Pending(work: { try await work($0) }, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
        guard let typed = result as? T else { preconditionFailure("A batched write returned a value of another type.") }
        return typed
    }

    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(maxBatch))
            queue.removeFirst(batch.count)
            do {
                try sync.check()
                let outcomes = try await runner(batch.map(\.work))
                sync.afterCommit { synced in
                    for (pending, outcome) in zip(batch, outcomes) { pending.continuation.resume(with: synced.flatMap { outcome }) }
                }
            } catch {
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }

    /// The runner for SQLite's writer: BEGIN IMMEDIATE, a savepoint per write, one COMMIT. (BEGIN IMMEDIATE takes the
    /// write lock at the start, so two writers never deadlock upgrading a read lock.) Every statement runs at once on
    /// the calling thread: the commit does not wait for the disk (`WALSync` does, beside the writer), and only a
    /// `BEGIN` that meets another process's lock waits for it, on the thread pool.
    static func run(_ batch: [Work], on writer: DirectSQLiteConnection) async throws -> [Result<any Sendable, any Error>] {
        try await writer.runAtOnce("BEGIN IMMEDIATE")
        var outcomes: [Result<any Sendable, any Error>] = []
        outcomes.reserveCapacity(batch.count)
        let counts = writer.batchedCounts
        do {
            for work in batch {
                try await writer.raw("SAVEPOINT chorus_write").run()
                let mark = counts?.mark()
                do {
                    let value = try await work(writer)
                    try await writer.raw("RELEASE chorus_write").run()
                    outcomes.append(.success(value))
                } catch {
                    try await writer.raw("ROLLBACK TO chorus_write").run()
                    try await writer.raw("RELEASE chorus_write").run()
                    if let mark { counts?.rollBack(to: mark) }
                    outcomes.append(.failure(error))
                }
            }
            // What the batch's writes added to the counts, once (see `BatchedCounts`).
            try await counts?.write(on: writer)
            try writer.runHere("COMMIT")
        } catch {
            counts?.discard()
            try? writer.runHere("ROLLBACK")
            throw error
        }
        return outcomes
    }
}
