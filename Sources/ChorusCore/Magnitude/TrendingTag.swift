/// One day of a hashtag's use: how many voices carried it, and how many people wrote them.
public struct TagDay: Sendable, Equatable, Codable {
    /// Epoch seconds of the UTC day's start.
    public var day: Int64
    public var uses: Int
    public var accounts: Int

    public init(day: Int64, uses: Int, accounts: Int) {
        self.day = day
        self.uses = uses
        self.accounts = accounts
    }
}

/// A hashtag people are using now, with its recent days, newest first.
public struct TrendingTag: Sendable, Equatable, Codable {
    public var name: String
    public var history: [TagDay]

    public init(name: String, history: [TagDay]) {
        self.name = name
        self.history = history
    }
}
