import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Synchronization

/// SQLite's commits, made durable beside the writer rather than in its way.
///
/// The writer commits with `synchronous = NORMAL`: a commit writes the WAL and does not wait for the disk. A batch is
/// answered only after an `fdatasync` of the WAL that began after its commit ended, so nothing acknowledged can be
/// lost. While the disk syncs, the writer already runs the next batch, and one sync serves every batch committed
/// before it began. A write is visible to readers a few milliseconds before its writer is answered; if the power fails
/// in between, it is gone, and its writer was never told it was kept.
///
/// SQLite's own checkpoints would run inside a commit, on the writer; they are off there and run here instead, on a
/// connection of their own, once the WAL holds `checkpointPages` pages.
final class WALSync: Sendable {
    typealias Answer = @Sendable (Result<Void, any Error>) -> Void

    private struct State {
        /// Commits told to this sync, in order.
        var commits: UInt64 = 0
        /// The commits' answers, waiting for a sync that began after them.
        var waiting: [(commit: UInt64, answer: Answer)] = []
        var syncing = false
        var checkpointing = false
        /// The open WAL (-1 until the first sync), and the file it is, to notice one put in its place.
        var file: Int32 = -1
        var identity: (device: UInt64, inode: UInt64) = (0, 0)
        /// Set by a failed sync: nothing after it is taken (see `check`).
        var failure: SyncFailed?
    }

    /// How long emptying the WAL waits for readers and the writer, in milliseconds: commits wait while it does.
    static let emptyingPatience: Int32 = 200

    /// SQLite's own default for an automatic checkpoint.
    static let checkpointPages = 1000
    /// The bytes a WAL keeps on the disk once it starts over: twice a checkpoint's worth of 4 KiB pages, so a WAL that
    /// only reaches the checkpoint size is never cut (SQLite cuts it when the writer begins it again).
    static let sizeLimit = 2 * checkpointPages * 4096

    private let walPath: String
    /// The WAL's folder, synced when the WAL is first opened.
    private let walFolder: String
    private let threads: NIOThreadPool
    private let checkpointer: DirectSQLiteConnection
    private let walPages: @Sendable () -> Int
    private let logger: Logger
    private let metrics: WriteMetrics
    private let state = Mutex(State())

    init(
        walPath: String, threads: NIOThreadPool, checkpointer: DirectSQLiteConnection, walPages: @escaping @Sendable () -> Int,
        logger: Logger, metrics: WriteMetrics
    ) {
        self.walPath = walPath
        let folder = (walPath as NSString).deletingLastPathComponent
        walFolder = folder.isEmpty ? "." : folder
        self.threads = threads
        self.checkpointer = checkpointer
        self.walPages = walPages
        self.logger = logger
        self.metrics = metrics
    }

    deinit {
        let file = state.withLock { $0.file }
        if file >= 0 { close(file) }
    }

    /// Whether a sync has failed: no write is taken any more.
    var hasFailed: Bool { state.withLock { $0.failure != nil } }

    /// What to do once a sync has failed, e.g. stop, so that a supervisor starts Chorus again (SQLite then recovers
    /// from what is on the disk). Called once, after the writes waiting on that sync were answered.
    private let whenFailed = Mutex<(@Sendable () -> Void)?>(nil)

    func onFailure(_ action: @escaping @Sendable () -> Void) {
        whenFailed.withLock { $0 = action }
    }

    /// Throws once a sync has failed: what the disk may have dropped can't be told apart from what it kept, so no
    /// more writes are taken until Chorus restarts (and SQLite recovers from what is on the disk).
    func check() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Calls `answer` once a sync that began after this call has ended: call it after a commit.
    ///
    /// After a failed sync every commit is answered with that failure, even one a later sync would cover: SQLite reads
    /// the WAL's frames back in order, and stops at the first one the disk lost.
    func afterCommit(_ answer: @escaping Answer) {
        let next = state.withLock { state -> Result<Bool, SyncFailed> in
            if let failure = state.failure { return .failure(failure) }
            state.commits += 1
            state.waiting.append((state.commits, answer))
            guard !state.syncing else { return .success(false) }
            state.syncing = true
            return .success(true)
        }
        switch next {
        case .success(true): threads.submit { self.syncWhileWaiting($0) }
        case .success(false): break
        case .failure(let failure): answer(.failure(failure))
        }
    }

    /// Syncs until no commit waits: each round serves every commit told before it began.
    private func syncWhileWaiting(_ work: NIOThreadPool.WorkItemState) {
        while true {
            let target = state.withLock { $0.commits }
            let result: Result<Void, any Error> = work == .active ? syncWAL() : .failure(DirectSQLiteError.closed)
            let failed: SyncFailed? = if case .failure(let error as SyncFailed) = result { error } else { nil }
            let (answers, outcome, more) = state.withLock { state -> ([Answer], Result<Void, any Error>, Bool) in
                if let failed { state.failure = failed }
                let served = state.failure == nil ? state.waiting.prefix { $0.commit <= target }.count : state.waiting.count
                let answers = state.waiting.prefix(served).map(\.answer)
                state.waiting.removeFirst(served)
                state.syncing = !state.waiting.isEmpty
                return (answers, state.failure.map { .failure($0) } ?? result, state.syncing)
            }
            if let failed {
                logger.critical("SQLite's WAL could not be synced to the disk (\(failed)); Chorus takes no more writes until it restarts.")
            }
            for answer in answers { answer(outcome) }
            if failed != nil,
                let action = whenFailed.withLock({ action in
                    defer { action = nil }; return action
                })
            {
                action()
            }
            if work == .active { checkpointIfDue() }
            guard more else { return }
        }
    }

    /// `fdatasync` of the WAL, opened on first use (with its directory synced, so the file itself survives a power
    /// cut) and again if another file has taken its name.
    private func syncWAL() -> Result<Void, any Error> {
        var (file, identity) = state.withLock { ($0.file, $0.identity) }
        var named = stat()
        guard stat(walPath, &named) == 0 else { return .failure(SyncFailed(step: "stat", code: errno)) }
        if file < 0 || (UInt64(named.st_dev), UInt64(named.st_ino)) != identity {
            if file >= 0 { close(file) }
            file = open(walPath, O_RDONLY | O_CLOEXEC)
            guard file >= 0 else { return .failure(SyncFailed(step: "open", code: errno)) }
            identity = (UInt64(named.st_dev), UInt64(named.st_ino))
            state.withLock { [file, identity] in
                $0.file = file
                $0.identity = identity
            }
            let directory = open(walFolder, O_RDONLY | O_CLOEXEC)
            guard directory >= 0 else { return .failure(SyncFailed(step: "open the directory", code: errno)) }
            defer { close(directory) }
            guard fsync(directory) == 0 else { return .failure(SyncFailed(step: "fsync the directory", code: errno)) }
        }
        let start = DispatchTime.now()
        guard fdatasync(file) == 0 else { return .failure(SyncFailed(step: "fdatasync", code: errno)) }
        metrics.walSync.recordInterval(since: start)
        return .success(())
    }

    /// Copies the WAL into the database once it has grown past `checkpointPages`, one checkpoint at a time. A passive
    /// checkpoint waits for no reader or writer: the writer goes on meanwhile.
    private func checkpointIfDue() {
        guard walPages() >= Self.checkpointPages else { return }
        let start = state.withLock { state -> Bool in
            guard !state.checkpointing else { return false }
            state.checkpointing = true
            return true
        }
        guard start else { return }
        threads.submit { work in
            defer { self.state.withLock { $0.checkpointing = false } }
            guard work == .active else { return }
            do {
                try self.checkpointer.runHere("PRAGMA wal_checkpoint(PASSIVE)")
                self.metrics.checkpoints.increment()
            } catch {
                self.logger.warning("SQLite's WAL could not be checkpointed now (\(error)); it is tried again after the next commits.")
            }
        }
    }

    /// Copies the whole WAL into the database and empties its file (`TRUNCATE`): what a deletion took away is then in
    /// no earlier page the WAL kept. It waits for readers on older snapshots (at most `emptyingPatience`) and holds
    /// new commits meanwhile, so it is for deletions, which are rare, not for every commit. A checkpoint already
    /// running is followed by this one.
    func emptyLog() {
        threads.submit { work in
            guard work == .active else { return }
            do {
                try self.checkpointer.runHere("PRAGMA wal_checkpoint(TRUNCATE)", patience: Self.emptyingPatience)
                self.metrics.checkpoints.increment()
            } catch {
                self.logger.warning("SQLite's WAL could not be emptied after a deletion (\(error)); it is written over as it fills again.")
            }
        }
    }

    /// A sync of the WAL failed: the writes it was to make durable may be lost.
    struct SyncFailed: Error, CustomStringConvertible {
        let step: String
        let code: Int32
        var description: String { "\(step) failed: \(String(cString: strerror(code)))" }
    }
}
