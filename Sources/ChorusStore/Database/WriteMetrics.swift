import Metrics

/// What the write path reports through swift-metrics, for an operator's `/metrics` (nothing about a person, only
/// how long writes took and how they were grouped). Made once per database: a metric is bound to the metrics backend
/// of the moment it is made (there is none unless the instance has a metrics token, and then nothing is recorded).
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
        committed = CoreMetrics.Timer(label: "chorus_write_duration_seconds", dimensions: dimensions)
        unavailable = CoreMetrics.Counter(label: "chorus_writes_unavailable_total", dimensions: dimensions)
        batchWrites = CoreMetrics.Recorder(label: Self.batchLabel)
        walSync = CoreMetrics.Timer(label: "chorus_sqlite_wal_sync_duration_seconds")
        checkpoints = CoreMetrics.Counter(label: "chorus_sqlite_checkpoints_total")
    }

    /// Counts, not durations: its histogram takes buckets of its own (`InstanceMetrics` sets them).
    public static let batchLabel = "chorus_sqlite_writes_per_commit"
}
