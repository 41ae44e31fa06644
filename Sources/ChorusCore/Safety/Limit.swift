/// How often something may happen per account or handle, and the calm words when the limit is reached.
public struct Limit: Sendable, Equatable {
    public let name: String
    public let count: Int
    /// The window, in milliseconds.
    public let window: Int64
    public let message: String

    public init(name: String, count: Int, window: Int64, message: String) {
        self.name = name
        self.count = count
        self.window = window
        self.message = message
    }

    /// The same limit with another count (an operator's choice).
    public func allowing(_ count: Int) -> Limit { Limit(name: name, count: count, window: window, message: message) }

    /// Failed sign-ins for one handle: slows guessing without locking the owner out for long.
    public static let signInFailures = Limit(
        name: "signin", count: 10, window: 15 * 60_000,
        message:
            "There have been many sign-in attempts for this handle. Please wait a little while (at most 15 minutes) and try again, "
            + "or use a recovery code."
    )
    /// Voices, pledges and replies one account may post.
    public static let posting = Limit(
        name: "post", count: 60, window: 10 * 60_000,
        message: "You have posted a lot in a short time. Please take a short break and try again in a few minutes."
    )
    /// Replies to one voice from accounts younger than a day: a brigade of new accounts is slowed down.
    public static let newAccountRepliesToOneVoice = Limit(
        name: "new-replies", count: 10, window: 60 * 60_000,
        message: "Many new accounts have replied to this voice in the last hour. To protect the person who shared it, please try again later."
    )
    /// API requests per account, as Mastodon's default (300 per 5 minutes).
    public static let apiRequests = Limit(
        name: "api", count: 300, window: 5 * 60_000, message: "Too many requests. Please wait a few minutes and try again."
    )
    /// How young an account is "new", in milliseconds.
    public static let newAccountAge: Int64 = 24 * 3_600_000
}

/// A limit was reached: answered with 429 and `Retry-After`.
public struct LimitReached: Error, Sendable, Equatable {
    public let limit: Limit
    /// Seconds until the window ends.
    public let retryAfter: Int

    public init(limit: Limit, retryAfter: Int) {
        self.limit = limit
        self.retryAfter = retryAfter
    }
}
