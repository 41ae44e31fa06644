import ChorusCore
import Foundation

/// The magnitude as JSON, for the API, the live stream and the open data: suppressed counts are `null`.
enum MagnitudeJSON {
    static func totals(_ magnitude: PublishedMagnitude) -> String {
        encode(totalsObject(magnitude))
    }

    static func totalsObject(_ magnitude: PublishedMagnitude) -> [String: Any] {
        [
            "me_too_people": value(magnitude.meTooPeople), "believes": value(magnitude.beliefs), "pledges": value(magnitude.pledges),
            "me_too_today": value(magnitude.meTooToday), "minimum_cell": Magnitude.minimumCell,
        ]
    }

    static func point(_ point: MagnitudePoint, period: MagnitudePeriod) -> [String: Any] {
        let published = point.published
        return [
            "start": timestamp(point.start, period: period), "start_epoch": point.start, "me_too_people": value(published.meTooPeople),
            "believes": value(published.beliefs), "pledges": value(published.pledges),
        ]
    }

    static func countries(_ counts: [CountryCount]) -> [String: Any] {
        let published = CountryCount.published(counts)
        return [
            "countries": published.shown.map { ["country": $0.country, "people": $0.people] as [String: Any] },
            "other_countries": value(published.other),
        ]
    }

    static func value(_ count: Int?) -> Any { count.map { $0 as Any } ?? NSNull() }

    /// `2026-11-21` for a day, `2026-11-21T14:00:00Z` for an hour.
    static func timestamp(_ seconds: Int64, period: MagnitudePeriod) -> String {
        switch period {
        case .day: return Timestamp.day(milliseconds: seconds * 1000)
        case .hour: return Timestamp.iso8601(milliseconds: seconds * 1000, fractional: false)
        }
    }

    static func encode(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
