/// The buckets counts are kept in: UTC hours and UTC days, as epoch seconds of their start.
public enum MagnitudePeriod: String, Sendable, CaseIterable {
    case hour
    case day

    /// Seconds in one bucket.
    public var seconds: Int64 {
        switch self {
        case .hour: return 3600
        case .day: return 86_400
        }
    }

    /// The start (epoch seconds) of the bucket holding `milliseconds` (epoch milliseconds).
    public func start(ofMilliseconds milliseconds: Int64) -> Int64 {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        return seconds - ((seconds % self.seconds) + self.seconds) % self.seconds
    }

    /// `hour` or `day` from a query parameter, with a message a person can act on.
    public static func parse(_ raw: String?) throws(InputError) -> MagnitudePeriod {
        guard let raw, !raw.isEmpty else { return .day }
        guard let period = MagnitudePeriod(rawValue: raw) else { throw InputError("Choose period=hour or period=day.", field: "period") }
        return period
    }
}

/// One bucket of a time series.
public struct MagnitudePoint: Sendable, Equatable {
    /// Epoch seconds of the bucket's start, UTC.
    public let start: Int64
    /// Distinct people who said *me too* in the bucket.
    public let meTooPeople: Int
    /// *I believe you* taps, and the distinct people who gave them.
    public let beliefs: Int
    public let believers: Int
    /// *I will* pledges, and the distinct people who made them.
    public let pledges: Int
    public let pledgers: Int

    public init(start: Int64, meTooPeople: Int = 0, beliefs: Int = 0, believers: Int = 0, pledges: Int = 0, pledgers: Int = 0) {
        self.start = start
        self.meTooPeople = meTooPeople
        self.beliefs = beliefs
        self.believers = believers
        self.pledges = pledges
        self.pledgers = pledgers
    }

    /// The bucket as it may be published: each count nil below `Magnitude.minimumCell` people.
    public var published: (meTooPeople: Int?, beliefs: Int?, pledges: Int?) {
        (
            Magnitude.publishable(people: meTooPeople), Magnitude.publishable(beliefs, people: believers),
            Magnitude.publishable(pledges, people: pledgers)
        )
    }
}

/// People who said *me too* and chose to say where they live.
public struct CountryCount: Sendable, Equatable {
    /// ISO 3166-1 alpha-2 code.
    public let country: String
    public let people: Int

    public init(country: String, people: Int) {
        self.country = country
        self.people = people
    }

    /// Countries with at least `Magnitude.minimumCell` people, largest first, and the people of all the others merged
    /// (nil when even the merge is below the minimum), each rounded down to a multiple of `Magnitude.minimumCell`.
    /// Exact, a country's count moved from one day to the next by that country's people of the day before, and so
    /// told a country-day of fewer than ten (whose own cell is hidden); rounded, a difference says only "some".
    public static func published(_ counts: [CountryCount]) -> (shown: [CountryCount], other: Int?) {
        let step = Magnitude.minimumCell
        let shown = counts.filter { $0.people >= step }.map { CountryCount(country: $0.country, people: $0.people / step * step) }
            .sorted { ($0.people, $1.country) > ($1.people, $0.country) }
        let rest = counts.filter { $0.people < step }.reduce(0) { $0 + $1.people }
        return (shown, Magnitude.publishable(people: rest).map { $0 / step * step })
    }
}
