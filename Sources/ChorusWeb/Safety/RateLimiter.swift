import Foundation
import Synchronization

/// How many attempts one client may make, per action, in a window of time.
public struct RateLimits: Sendable, Equatable {
    public struct Limit: Sendable, Equatable {
        public var count: Int
        public var seconds: Int
        public init(_ count: Int, per seconds: Int) {
            self.count = count
            self.seconds = seconds
        }
    }

    public var signIn: Limit?
    public var signUp: Limit?
    public var posting: Limit?
    /// Mastodon API requests per account (per client when no token is given).
    public var api: Limit?

    public init(signIn: Limit?, signUp: Limit?, posting: Limit?, api: Limit? = nil) {
        self.signIn = signIn
        self.signUp = signUp
        self.posting = posting
        self.api = api
    }

    /// Enough for any person, too few for guessing passwords or flooding: 10 sign-ins per 5 minutes, 5 new accounts per hour,
    /// 30 voices, replies or pledges per 10 minutes, and Mastodon's 300 API requests per 5 minutes.
    public static let standard = RateLimits(
        signIn: .init(10, per: 300), signUp: .init(5, per: 3600), posting: .init(30, per: 600), api: .init(300, per: 300))
    public static let off = RateLimits(signIn: nil, signUp: nil, posting: nil, api: nil)

    /// `standard`, `off`, or `signin=10/300,signup=5/3600,posting=30/600,api=300/300` (any subset; the rest stay standard).
    public static func parse(_ text: String) -> RateLimits? {
        switch text.lowercased() {
        case "", "standard": return .standard
        case "off": return .off
        default: break
        }
        var limits = RateLimits.standard
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { return nil }
            let numbers = pair[1].split(separator: "/").compactMap { Int($0) }
            let limit: Limit? =
                pair[1] == "off" ? nil : (numbers.count == 2 && numbers[0] > 0 && numbers[1] > 0 ? Limit(numbers[0], per: numbers[1]) : nil)
            if limit == nil, pair[1] != "off" { return nil }
            switch pair[0].lowercased() {
            case "signin": limits.signIn = limit
            case "signup": limits.signUp = limit
            case "posting": limits.posting = limit
            case "api": limits.api = limit
            default: return nil
            }
        }
        return limits
    }

    func limit(for action: RateLimitedAction) -> Limit? {
        switch action {
        case .signIn: signIn
        case .signUp: signUp
        case .posting: posting
        case .api: api
        }
    }
}

/// What is limited.
enum RateLimitedAction: String, Sendable {
    case signIn, signUp, posting, api
}

/// Counts attempts per client fingerprint and action in fixed windows, in memory only.
final class RateLimiter: Sendable {
    let limits: RateLimits
    private let clock: @Sendable () -> Date
    private let windows: Mutex<Windows>

    /// Open windows by action and client, and when they were last swept of finished ones.
    private struct Windows {
        var open: [String: (start: Date, count: Int)] = [:]
        var sweptAt = Date.distantPast
    }

    /// Windows older than the longest limit's can be forgotten.
    private let longestWindow: TimeInterval

    init(limits: RateLimits, clock: @escaping @Sendable () -> Date = Date.init) {
        self.limits = limits
        self.longestWindow = TimeInterval([limits.signIn, limits.signUp, limits.posting, limits.api].compactMap { $0?.seconds }.max() ?? 0)
        self.clock = clock
        self.windows = Mutex(Windows())
    }

    /// Counts one attempt. Returns nil when it may go ahead, or the seconds to wait.
    func attempt(_ action: RateLimitedAction, client: @autoclosure () -> String) -> Int? {
        count(action, client: client())?.wait
    }

    /// What is left of one window after an attempt.
    struct Window: Equatable {
        let limit: RateLimits.Limit
        /// Attempts left in the window.
        let remaining: Int
        /// Seconds until the window starts again.
        let resetsIn: Int
        /// Seconds to wait when this attempt was refused.
        let wait: Int?
    }

    /// Counts one attempt and tells how much of the window is left; nil when the action is not limited. The client
    /// (an HMAC of its address, for a client without an account) is only worked out when the action is limited.
    func count(_ action: RateLimitedAction, client: @autoclosure () -> String) -> Window? {
        guard let limit = limits.limit(for: action) else { return nil }
        let now = clock()
        let key = action.rawValue + ":" + client()
        return windows.withLock { (windows: inout Windows) -> Window in
            if windows.open.count > 50_000, now.timeIntervalSince(windows.sweptAt) > 60 {
                windows.open = windows.open.filter { now.timeIntervalSince($0.value.start) < longestWindow }
                windows.sweptAt = now
            }
            var window = windows.open[key] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= Double(limit.seconds) { window = (now, 0) }
            let resetsIn = max(1, Int((Double(limit.seconds) - now.timeIntervalSince(window.start)).rounded(.up)))
            guard window.count < limit.count else { return Window(limit: limit, remaining: 0, resetsIn: resetsIn, wait: resetsIn) }
            window.count += 1
            windows.open[key] = window
            return Window(limit: limit, remaining: limit.count - window.count, resetsIn: resetsIn, wait: nil)
        }
    }
}
