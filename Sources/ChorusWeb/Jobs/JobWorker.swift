import ChorusStore
import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Runs queued jobs: in `chorus serve` by default, or alone in `chorus worker`. Any number of workers may run
/// against one PostgreSQL; on SQLite there is one.
public struct JobWorker: Service {
    let store: ChorusStore
    let handlers: [String: JobHandler]
    let logger: Logger
    let name = "worker-" + UUID().uuidString.prefix(8)
    /// How long to wait when nothing is ready.
    let idle: Duration

    public init(store: ChorusStore, logger: Logger, idle: Duration = .milliseconds(500)) {
        self.store = store
        self.handlers = JobKinds.handlers(store)
        self.logger = logger
        self.idle = idle
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var isReaching = true
            while !Task.isCancelled {
                do {
                    try await JobKinds.scheduleHousekeeping(store)
                    while try await store.runNextJob(worker: String(name), handlers: handlers) {}
                    if !isReaching { logger.notice("The job worker reaches the database again.") }
                    isReaching = true
                } catch {
                    // Said once per outage, not on every retry.
                    if isReaching { logger.warning("The job worker could not reach the database; retrying: \(String(reflecting: error))") }
                    isReaching = false
                }
                try? await Task.sleep(for: idle)
            }
        }
    }
}

/// Every kind of job Chorus runs, by name.
public enum JobKinds {
    public static let purgeSessions = "sessions.purge"

    static func handlers(_ store: ChorusStore) -> [String: JobHandler] {
        store.jobHandlers.merging(web) { _, web in web }
    }

    static let web: [String: JobHandler] = [
        purgeSessions: { _, db in
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: ChorusDatabase.now())").run()
            try await ChorusStore.purgeRateCounts(db, before: ChorusDatabase.now() - 2 * 3_600_000)
            // Finished jobs are kept a day, for the operator to look at.
            try await db.raw("DELETE FROM jobs WHERE state = 'done' AND finished_at < \(bind: ChorusDatabase.now() - 86_400_000)").run()
            try await db.raw("DELETE FROM data_exports WHERE expires_at < \(bind: ChorusDatabase.now())").run()
        }
    ]

    /// Recurring work is queued once per period under a unique key, however many workers ask.
    static func scheduleHousekeeping(_ store: ChorusStore) async throws {
        let hour = ChorusDatabase.now() / 3_600_000
        try await store.enqueue(kind: purgeSessions, uniqueKey: "\(purgeSessions):\(hour)")
        try await store.scheduleRecurringJobs()
    }
}
