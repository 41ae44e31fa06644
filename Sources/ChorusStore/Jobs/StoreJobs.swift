import ChorusCore
import SQLKit

extension ChorusStore {
    /// The kinds of job the store itself knows how to run.
    public enum JobKind {
        /// Erases the rows of a deleted account (payload: "account-id erase|keep_anonymously|erase_anonymous_later").
        public static let eraseAccount = "account.erase"
        /// Erases one anonymous voice (with its thread) of an account deleted with `erase_anonymous_later` (payload:
        /// the voice id), at its own random moment.
        public static let eraseAnonymousVoice = "account.erase-anonymous-voice"
        /// Materialises the trending hashtags.
        public static let recomputeTrends = "trends.recompute"
        /// Prepares a person's data archive (payload: the archive id).
        public static let buildExport = "export.build"
    }

    /// The store's job handlers; each does its writes in the transaction that marks the job done.
    public var jobHandlers: [String: JobHandler] {
        [
            JobKind.eraseAccount: { job, db in try await Self.eraseAccountData(db, job: job) },
            JobKind.eraseAnonymousVoice: { job, db in try await Self.eraseAnonymousVoice(db, job: job) },
            JobKind.recomputeTrends: { _, db in try await Self.recomputeTrends(db) },
            JobKind.buildExport: buildExportHandler,
        ]
    }

    /// Queues the store's recurring jobs for the current period (once, however many workers ask).
    public func scheduleRecurringJobs(now: Int64 = ChorusDatabase.now()) async throws {
        try await enqueue(kind: JobKind.recomputeTrends, uniqueKey: "\(JobKind.recomputeTrends):\(now / Self.trendPeriod)")
    }
}
