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
    /// The seven days ending `today` (epoch seconds of its start), newest first, from each day's uses and distinct
    /// accounts; a day used by fewer than `Magnitude.minimumCell` accounts shows as 0 uses, 0 accounts.
    public static func week(endingOn today: Int64, counts: [Int64: (uses: Int, accounts: Int)]) -> [TagDay] {
        (0..<7).map { back in
            let day = today - Int64(back) * 86_400
            let use = counts[day] ?? (0, 0)
            let shown = use.accounts >= Magnitude.minimumCell
            return TagDay(day: day, uses: shown ? use.uses : 0, accounts: shown ? use.accounts : 0)
        }
    }
}
