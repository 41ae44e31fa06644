import Metrics

/// What the write path reports through swift-metrics, for an operator's `/metrics` (nothing about a person, only
/// how long writes took and how they were grouped). Made once per database: a metric is bound to the metrics backend
/// of the moment it is made (none before `chorus serve` starts one, and then nothing is recorded).
public struct WriteMetrics: Sendable {
    /// From a write's start to its answer, for the writes that committed.
    let committed: CoreMetrics.Timer
    /// Writes refused because the database could not be reached or written (each a 503).
    let unavailable: CoreMetrics.Counter
    /// SQLite: how many writes shared a commit.
    let batchWrites: CoreMetrics.Recorder
    /// SQLite: how long each sync of the WAL took, and the checkpoints run.
    let walSync: CoreMetrics.Timer
    let checkpoints: CoreMetrics.Counter

    init(engine: String) {
        let dimensions = [("engine", engine)]
        committed = CoreMetrics.Timer(label: Self.committedLabel, dimensions: dimensions)
        unavailable = CoreMetrics.Counter(label: "chorus_writes_unavailable_total", dimensions: dimensions)
        batchWrites = CoreMetrics.Recorder(label: Self.batchLabel)
        walSync = CoreMetrics.Timer(label: Self.walSyncLabel)
        checkpoints = CoreMetrics.Counter(label: "chorus_sqlite_checkpoints_total")
    }

    // The labels whose histograms take buckets of their own (`chorus serve` sets them).
    public static let committedLabel = "chorus_write_duration_seconds"
    public static let batchLabel = "chorus_sqlite_writes_per_commit"
    public static let walSyncLabel = "chorus_sqlite_wal_sync_duration_seconds"
}
