/// A hashtag many different people are using today, more than they did yesterday.
public struct TrendingTag: Sendable, Equatable {
    /// The normalised name, without `#`.
    public let name: String
    /// The last 7 days, newest first, as Mastodon's `/api/v1/trends/tags` shows it.
    public let history: [TagDay]
    /// How strongly it is trending now: higher first.
    public let score: Double

    public init(name: String, history: [TagDay], score: Double) {
        self.name = name
        self.history = history
        self.score = score
    }
}

/// One day of a hashtag's use.
public struct TagDay: Sendable, Equatable {
    /// Epoch seconds of the day's start, UTC.
    public let day: Int64
    /// Voices that used the hashtag that day.
    public let uses: Int
    /// Distinct accounts that used it that day.
    public let accounts: Int

    public init(day: Int64, uses: Int, accounts: Int) {
        self.day = day
        self.uses = uses
        self.accounts = accounts
    }
}
