/// The three totals Chorus makes visible.
public struct Magnitude: Codable, Sendable, Equatable {
    /// The smallest number of distinct people any published count may stand for. A count of fewer people (a country,
    /// a day, a country-day, an hour, a total) is shown as "fewer than 10", never as its number, so that no published
    /// figure names a small group. (Differences between exact figures still can; see docs/open-data.md.)
    public static let minimumCell = 10

    /// Distinct people who said *me too*, however many stories each told.
    public var meTooPeople: Int
    /// *I believe you* taps.
    public var beliefs: Int
    /// *I will* pledges.
    public var pledges: Int

    public init(meTooPeople: Int = 0, beliefs: Int = 0, pledges: Int = 0) {
        self.meTooPeople = meTooPeople
        self.beliefs = beliefs
        self.pledges = pledges
    }

    /// `count` if it stands for at least `minimumCell` distinct people, otherwise nil (suppressed).
    public static func publishable(_ count: Int, people: Int) -> Int? {
        people >= minimumCell ? count : nil
    }

    /// A count of people, or nil when there are too few of them to publish.
    public static func publishable(people: Int) -> Int? { publishable(people, people: people) }
}

/// The three totals as they may be published: each nil while it stands for fewer than `Magnitude.minimumCell` people.
public struct PublishedMagnitude: Sendable, Equatable {
    public let meTooPeople: Int?
    public let beliefs: Int?
    public let pledges: Int?
    /// Distinct people who said *me too* today (UTC).
    public let meTooToday: Int?

    public init(meTooPeople: Int?, beliefs: Int?, pledges: Int?, meTooToday: Int?) {
        self.meTooPeople = meTooPeople
        self.beliefs = beliefs
        self.pledges = pledges
        self.meTooToday = meTooToday
    }
}
