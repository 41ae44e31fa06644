import Synchronization

/// While the storage is down every request fails the same way: its warning is logged at most once every `interval`,
/// with the number of requests that failed in between, rather than once per request (thousands a second on a busy
/// day, hiding everything else in the log).
final class OutageLog: Sendable {
    private let interval: Duration
    private let state = Mutex<(lastLogged: ContinuousClock.Instant?, quiet: Int)>((nil, 0))

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    /// nil while the last warning is recent (this failure is counted); otherwise how many failures went unlogged since
    /// the last warning, and this one is to be logged.
    func admit(at now: ContinuousClock.Instant = .now) -> Int? {
        state.withLock { state in
            if let last = state.lastLogged, now - last < interval {
                state.quiet += 1
                return nil
            }
            defer { state = (now, 0) }
            return state.quiet
        }
    }
}
