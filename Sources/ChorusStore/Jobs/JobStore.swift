import ChorusCore
import SQLKit

/// A piece of work to run outside a request.
public struct Job: Sendable, Equatable {
    public enum State: String, Sendable {
        case queued, running, done, failed
    }

    public let id: Int64
    public let kind: String
    public let payload: String
    public let attempts: Int
    public let maxAttempts: Int
}

/// Another worker took the job after this one's lease ran out: this one stops without doing anything.
struct LeaseLost: Error {}

/// What a job's handler may do: read and write in the same transaction that marks the job done, so its effect
/// and its completion commit together: a job is never done twice, even when a worker dies half-way.
public typealias JobHandler = @Sendable (Job, any SQLDatabase) async throws -> Void

extension ChorusStore {
    /// Queues a job. With a `uniqueKey`, a job already queued under that key is not queued again.
    @discardableResult
    public func enqueue(kind: String, payload: String = "", uniqueKey: String? = nil, runAt: Int64? = nil, maxAttempts: Int = 5) async throws -> Int64
    {
        try await database.write { db in
            try await Self.enqueue(db, kind: kind, payload: payload, uniqueKey: uniqueKey, runAt: runAt, maxAttempts: maxAttempts)
        }
    }

    /// Queues a job inside a caller's transaction, so the job exists exactly when the caller's write commits.
    @discardableResult
    static func enqueue(
        _ db: any SQLDatabase, kind: String, payload: String = "", uniqueKey: String? = nil, runAt: Int64? = nil, maxAttempts: Int = 5
    ) async throws -> Int64 {
        let now = ChorusDatabase.now()
        let id = VoiceID.make(at: now)
        try await db.raw(
            """
            INSERT INTO jobs (id, kind, payload, unique_key, run_at, max_attempts, created_at)
            VALUES (\(bind: id), \(bind: kind), \(bind: payload), \(bind: uniqueKey), \(bind: runAt ?? now), \(bind: Int64(maxAttempts)), \(bind: now))
            ON CONFLICT (unique_key) DO NOTHING
            """
        ).run()
        return id
    }

    /// Runs every job that is ready now, one after another, with the store's own handlers (and `extra` ones); for
    /// tests and tools that want a request's deferred work done before they look. Returns how many were taken.
    @discardableResult
    public func runPendingJobs(worker: String = "inline", extra: [String: JobHandler] = [:]) async throws -> Int {
        let handlers = jobHandlers.merging(extra) { _, new in new }
        var taken = 0
        while try await runNextJob(worker: worker, handlers: handlers) { taken += 1 }
        return taken
    }

    /// Takes the next ready job, if any, and runs `handler` on it. Returns whether a job was taken.
    ///
    /// The job is claimed in one short transaction (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so instances never
    /// take the same job), then run with its completion in a second one. A worker that dies leaves the claim to
    /// expire after `lease`, and the job is taken again; its half-done work was rolled back with it.
    public func runNextJob(worker: String, lease: Int64 = 60_000, handlers: [String: JobHandler]) async throws -> Bool {
        let now = ChorusDatabase.now()
        let claimed: Job? = try await database.write(readersSeeIt: false) { db in
            try await db.raw(
                """
                UPDATE jobs SET state = 'queued', locked_by = NULL
                WHERE state = 'running' AND locked_until < \(bind: now)
                """
            ).run()
            let row = try await db.raw(
                """
                UPDATE jobs SET state = 'running', locked_by = \(bind: worker), locked_until = \(bind: now + lease), attempts = attempts + 1
                WHERE id = (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= \(bind: now) ORDER BY run_at, id LIMIT 1\(unsafeRaw: skipLockedClause))
                RETURNING id, kind, payload, attempts, max_attempts
                """
            ).first()
            return try row.map {
                Job(
                    id: try $0.int64("id"), kind: try $0.string("kind"), payload: try $0.string("payload"),
                    attempts: try $0.int("attempts"), maxAttempts: try $0.int("max_attempts")
                )
            }
        }
        guard let job = claimed else { return false }
        do {
            guard let handler = handlers[job.kind] else { throw Refusal(.unprocessable, "No worker knows how to run jobs of kind \(job.kind).") }
            try await database.write { db in
                // Marking it done first locks the row and proves the claim is still ours; then the work, in the same commit.
                let stillOurs = try await db.raw(
                    """
                    UPDATE jobs SET state = 'done', finished_at = \(bind: ChorusDatabase.now()), locked_by = NULL
                    WHERE id = \(bind: job.id) AND locked_by = \(bind: worker) AND state = 'running' RETURNING id
                    """
                ).first()
                guard stillOurs != nil else { throw LeaseLost() }
                try await handler(job, db)
            }
            // An erased account's words are gone from the database; on SQLite they are then cleared from its log too.
            if job.kind == JobKind.eraseAccount { database.clearDeletedWords() }
        } catch is LeaseLost {
            return true
        } catch {
            let failed = job.attempts >= job.maxAttempts
            let retryAt = ChorusDatabase.now() + Self.backoff(attempt: job.attempts)
            try await database.write(readersSeeIt: false) { db in
                try await db.raw(
                    """
                    UPDATE jobs SET state = \(bind: failed ? Job.State.failed.rawValue : Job.State.queued.rawValue), run_at = \(bind: retryAt),
                        last_error = \(bind: String(String(describing: error).prefix(500))), locked_by = NULL,
                        finished_at = \(bind: failed ? ChorusDatabase.now() : nil)
                    WHERE id = \(bind: job.id)
                    """
                ).run()
            }
        }
        return true
    }

    /// Waits before a retry: 1 s, 2 s, 4 s, … up to 5 minutes.
    public static func backoff(attempt: Int) -> Int64 {
        min(1_000 * (Int64(1) << Int64(min(max(attempt - 1, 0), 20))), 300_000)
    }

    /// PostgreSQL lets concurrent workers skip rows another has locked; SQLite has one writer, so nothing to skip.
    private var skipLockedClause: String {
        switch database.engine {
        case .postgres: return " FOR UPDATE SKIP LOCKED"
        case .sqlite: return ""
        }
    }

    /// How many jobs are in each state (for the operator and the tests).
    public func jobCounts(kind: String? = nil) async throws -> [Job.State: Int] {
        try await database.read { db in
            var query: SQLQueryString = "SELECT state, COUNT(*) AS n FROM jobs"
            if let kind {
                query.appendInterpolation(unsafeRaw: " WHERE kind = ")
                query.appendInterpolation(bind: kind)
            }
            query.appendInterpolation(unsafeRaw: " GROUP BY state")
            var counts: [Job.State: Int] = [:]
            for row in try await db.raw(query).all() {
                if let state = Job.State(rawValue: try row.string("state")) { counts[state] = try row.int("n") }
            }
            return counts
        }
    }

    /// The last error of a job, for the operator.
    public func job(id: Int64) async throws -> (state: Job.State, attempts: Int, lastError: String?)? {
        try await database.read { db in
            try await db.raw("SELECT state, attempts, last_error FROM jobs WHERE id = \(bind: id)").first().map {
                (Job.State(rawValue: try $0.string("state")) ?? .queued, try $0.int("attempts"), try $0.optionalString("last_error"))
            }
        }
    }
}
