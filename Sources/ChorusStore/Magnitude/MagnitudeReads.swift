import ChorusCore
import SQLKit

/// One day of the open data: every kind's count with the distinct people behind it, all countries together.
public struct MagnitudeDay: Sendable, Equatable {
    public let point: MagnitudePoint
    /// People who said *me too* that day, by the country they chose to give.
    public let countries: [CountryCount]
}

extension ChorusStore {
    /// The totals as they may be published, with today's (UTC) *me too* people: a handful of rows, whatever the size.
    public func publishedMagnitude(now: Int64 = ChorusDatabase.now()) async throws -> PublishedMagnitude {
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT kind, period, people, amount FROM magnitude_cells
                WHERE kind IN ('metoo', 'believe', 'pledge') AND period = 'all' AND country = '' AND start_at = 0
                UNION ALL
                SELECT kind, period, people, amount FROM magnitude_cells
                WHERE kind = 'metoo' AND period = 'day' AND country = '' AND start_at = \(bind: today)
                """
            ).all()
        }
        var all: [String: (people: Int, amount: Int)] = [:]
        var todayPeople = 0
        for row in rows {
            let kind = try row.string("kind")
            if try row.string("period") == "day" {
                todayPeople = try row.int("people")
            } else {
                all[kind] = (try row.int("people"), try row.int("amount"))
            }
        }
        let meToo = all[MagnitudeKind.meToo.rawValue] ?? (0, 0)
        let beliefs = all[MagnitudeKind.believe.rawValue] ?? (0, 0)
        let pledges = all[MagnitudeKind.pledge.rawValue] ?? (0, 0)
        return PublishedMagnitude(
            meTooPeople: Magnitude.publishable(people: meToo.people),
            beliefs: Magnitude.publishable(beliefs.amount, people: beliefs.people),
            pledges: Magnitude.publishable(pledges.amount, people: pledges.people),
            meTooToday: Magnitude.publishable(people: todayPeople)
        )
    }

    /// Every bucket of `period` from `from` to `to` (epoch seconds, inclusive), oldest first, empty ones as zeros.
    public func magnitudeSeries(_ period: MagnitudePeriod, from: Int64, to: Int64) async throws -> [MagnitudePoint] {
        let first = period.start(ofMilliseconds: from * 1000)
        let last = period.start(ofMilliseconds: to * 1000)
        guard first <= last else { return [] }
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT kind, start_at, people, amount FROM magnitude_cells
                WHERE kind IN ('metoo', 'believe', 'pledge') AND period = \(bind: period.rawValue) AND country = ''
                    AND start_at >= \(bind: first) AND start_at <= \(bind: last)
                """
            ).all()
        }
        var cells: [Int64: [String: (people: Int, amount: Int)]] = [:]
        for row in rows { cells[try row.int64("start_at"), default: [:]][try row.string("kind")] = (try row.int("people"), try row.int("amount")) }
        return stride(from: first, through: last, by: Int(period.seconds)).map { start in
            Self.point(start: start, cells[start] ?? [:])
        }
    }

    /// The last 48 hours, hour by hour, oldest first (the current hour last).
    public func magnitudeHours(now: Int64 = ChorusDatabase.now()) async throws -> [MagnitudePoint] {
        let hour = MagnitudePeriod.hour.start(ofMilliseconds: now)
        return try await magnitudeSeries(.hour, from: hour - 47 * 3600, to: hour)
    }

    /// Every day since the first voice, oldest first (today last).
    public func magnitudeDays(now: Int64 = ChorusDatabase.now()) async throws -> [MagnitudePoint] {
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        let first = try await database.read { db in
            try await db.raw(
                "SELECT MIN(start_at) AS first_day FROM magnitude_cells WHERE kind IN ('metoo', 'believe', 'pledge') AND period = 'day' AND country = ''"
            ).first()?.optionalInt64("first_day")
        }
        return try await magnitudeSeries(.day, from: min(first ?? today, today), to: today)
    }

    /// People who said *me too* by the country they chose to give, all time, as the UTC day of `now` began: today's
    /// voices count in their country once the day is over, so no country's count moves just as a named voice appears.
    /// (Kept by the day's first change to a country, `keepCountriesAsTheDayBegan`; until then the counts are as the day
    /// began.)
    public func meTooByCountry(now: Int64 = ChorusDatabase.now()) async throws -> [CountryCount] {
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        return try await database.read { db in
            var rows = try await db.raw("SELECT country, people FROM countries_as_the_day_began WHERE day = \(bind: today)").all()
            if rows.isEmpty {
                rows = try await db.raw("SELECT country, people FROM magnitude_cells WHERE kind = 'metoo' AND period = 'all' AND country <> ''")
                    .all()
            }
            return try rows.map { CountryCount(country: try $0.string("country"), people: try $0.int("people")) }
                .filter { !$0.country.isEmpty && $0.people > 0 }
        }
    }

    /// Every day since the first voice with its counts by kind, and by country once the day is over, oldest first, for
    /// the open data files.
    public func magnitudeOpenData(now: Int64 = ChorusDatabase.now()) async throws -> [MagnitudeDay] {
        let days = try await magnitudeDays(now: now)
        // A day's countries are published once it is over (see `meTooByCountry`).
        let today = MagnitudePeriod.day.start(ofMilliseconds: now)
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT country, start_at, people FROM magnitude_cells
                WHERE kind = 'metoo' AND period = 'day' AND country <> '' AND people > 0 AND start_at < \(bind: today)
                """
            ).all()
        }
        var countries: [Int64: [CountryCount]] = [:]
        for row in rows {
            countries[try row.int64("start_at"), default: []].append(CountryCount(country: try row.string("country"), people: try row.int("people")))
        }
        return days.map { MagnitudeDay(point: $0, countries: countries[$0.start] ?? []) }
    }

    private static func point(start: Int64, _ kinds: [String: (people: Int, amount: Int)]) -> MagnitudePoint {
        MagnitudePoint(
            start: start, meTooPeople: kinds[MagnitudeKind.meToo.rawValue]?.people ?? 0,
            beliefs: kinds[MagnitudeKind.believe.rawValue]?.amount ?? 0, believers: kinds[MagnitudeKind.believe.rawValue]?.people ?? 0,
            pledges: kinds[MagnitudeKind.pledge.rawValue]?.amount ?? 0, pledgers: kinds[MagnitudeKind.pledge.rawValue]?.people ?? 0
        )
    }
}
