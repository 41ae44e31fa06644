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

    public init(signIn: Limit?, signUp: Limit?, posting: Limit?) {
        self.signIn = signIn
        self.signUp = signUp
        self.posting = posting
    }

    /// Enough for any person, too few for guessing passwords or flooding: 10 sign-ins per 5 minutes, 5 new accounts per hour,
    /// 30 voices, replies or pledges per 10 minutes.
    public static let standard = RateLimits(signIn: .init(10, per: 300), signUp: .init(5, per: 3600), posting: .init(30, per: 600))
    public static let off = RateLimits(signIn: nil, signUp: nil, posting: nil)

    /// `standard`, `off`, or `signin=10/300,signup=5/3600,posting=30/600` (any subset; the rest stay standard).
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
        }
    }
}

/// What is limited.
enum RateLimitedAction: String, Sendable {
    case signIn, signUp, posting
}

/// Counts attempts per client fingerprint and action in fixed windows, in memory only.
final class RateLimiter: Sendable {
    let limits: RateLimits
    private let clock: @Sendable () -> Date
    private let windows: Mutex<[String: (start: Date, count: Int)]>

    init(limits: RateLimits, clock: @escaping @Sendable () -> Date = Date.init) {
        self.limits = limits
        self.clock = clock
        self.windows = Mutex([:])
    }

    /// Counts one attempt. Returns nil when it may go ahead, or the seconds to wait.
    func attempt(_ action: RateLimitedAction, client: String) -> Int? {
        guard let limit = limits.limit(for: action) else { return nil }
        let now = clock()
        let key = action.rawValue + ":" + client
        return windows.withLock { (windows: inout [String: (start: Date, count: Int)]) -> Int? in
            if windows.count > 50_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < 3600 * 24 } }
            var window = windows[key] ?? (now, 0)
            if now.timeIntervalSince(window.start) >= Double(limit.seconds) { window = (now, 0) }
            guard window.count < limit.count else {
                return max(1, Int((Double(limit.seconds) - now.timeIntervalSince(window.start)).rounded(.up)))
            }
            window.count += 1
            windows[key] = window
            return nil
        }
    }
}
