import ChorusCore
import ChorusStore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// How many of us: the totals live, hour by hour and day by day, by country, the badge, the open data and the API.
struct MagnitudeController {
    let services: ChorusServices
    let feed: MagnitudeFeed
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    init(services: ChorusServices) {
        self.services = services
        self.feed = MagnitudeFeed(store: services.store, live: services.live)
    }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/magnitude") { request, context in try await page(request, context) }
        router.get("/magnitude/live") { _, context in try await liveStream(context) }
        router.get("/magnitude/badge.svg") { request, context in try await badge(request, context) }
        router.get("/magnitude.json") { _, _ in try await openDataJSON() }
        router.get("/magnitude.csv") { _, _ in try await openDataCSV() }
        router.get("/api/v1/chorus/magnitude") { _, _ in try await apiTotals() }
        router.get("/api/v1/chorus/magnitude/series") { request, _ in try await apiSeries(request) }
    }

    // MARK: The page

    func page(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let language = pages.localization.language(account: context.account, request: request)
        let now = ChorusDatabase.now()
        let totals = try await store.publishedMagnitude(now: now)
        let hours = try await store.magnitudeHours(now: now)
        let days = try await store.magnitudeDays(now: now)
        let countries = CountryCount.published(try await store.meTooByCountry())
        let fewer = words["magnitude_fewer"]
        func shown(_ count: Int?) -> String { count.map { $0.groupedText } ?? fewer }
        func rows(_ points: [MagnitudePoint], _ period: MagnitudePeriod) -> [[String: Any]] {
            points.reversed().map { point in
                let published = point.published
                return [
                    "label": Self.label(point.start, period), "metoo": shown(published.meTooPeople), "believe": shown(published.beliefs),
                    "pledge": shown(published.pledges),
                ]
            }
        }
        let hourChart = MagnitudeChart(
            id: "chart-hours", title: words["magnitude_hours_title"], description: words["magnitude_hours_desc"],
            bars: hours.map { .init(label: Self.label($0.start, .hour), value: $0.published.meTooPeople) }, suppressedLabel: fewer, labelEvery: 8)
        let dayChart = MagnitudeChart(
            id: "chart-days", title: words["magnitude_days_title"], description: words["magnitude_days_desc"],
            bars: days.map { .init(label: Self.label($0.start, .day), value: $0.published.meTooPeople) }, suppressedLabel: fewer,
            labelEvery: max(1, days.count / 6))
        var values: [String: Any] = [
            "metoo_count": shown(totals.meTooPeople), "believe_count": shown(totals.beliefs), "pledge_count": shown(totals.pledges),
            "today_line": Self.todayLine(totals, words), "fewer": fewer,
            "hours_chart": hourChart.svg, "days_chart": dayChart.svg,
            "hours_summary": Self.summary(hours, .hour, words), "days_summary": Self.summary(days, .day, words),
            "hours": rows(hours, .hour), "days": rows(days, .day),
            "countries": countries.shown.map { ["name": CountryChoice.name(of: $0.country, language: language), "people": $0.people.groupedText] },
            "minimum_cell": Magnitude.minimumCell, "base_url": services.config.baseURL,
        ]
        if let other = countries.other { values["other_countries"] = other.groupedText }
        return pages.render("magnitude", values, request: request, context: context)
    }

    /// "N people said me too today", or the words for fewer than the minimum.
    static func todayLine(_ totals: PublishedMagnitude, _ words: Words) -> String {
        guard let today = totals.meTooToday else { return words["magnitude_today_fewer"] }
        return words.format("magnitude_today", ["n": today.groupedText])
    }

    /// What the person who just said *me too* reads. Below the minimum cell the exact total is not given: saying
    /// *me too* again (even "only me") must not become a way to read the total at will.
    static func notAlone(_ count: Int, _ words: Words) -> String {
        if count <= 1 { return words["not_alone_first"] }
        guard count >= Magnitude.minimumCell else { return words["not_alone_few"] }
        return words.format("not_alone", ["n": count.groupedText])
    }

    /// One sentence saying what the chart shows, for people who do not see it.
    static func summary(_ points: [MagnitudePoint], _ period: MagnitudePeriod, _ words: Words) -> String {
        let shown = points.compactMap { point in point.published.meTooPeople.map { (point.start, $0) } }
        guard let busiest = shown.max(by: { $0.1 < $1.1 }) else { return words["magnitude_summary_\(period.rawValue)_none"] }
        return words.format(
            "magnitude_summary_\(period.rawValue)",
            ["n": busiest.1.groupedText, "when": label(busiest.0, period), "shown": shown.count.groupedText, "all": points.count.groupedText])
    }

    /// `21 Nov 14:00` for an hour, `2026-11-21` for a day (UTC).
    static func label(_ seconds: Int64, _ period: MagnitudePeriod) -> String {
        switch period {
        case .day: return MagnitudeJSON.timestamp(seconds, period: .day)
        case .hour:
            let hour = (seconds % 86_400) / 3600
            let day = MagnitudeJSON.timestamp(seconds, period: .day).suffix(5)
            return "\(day) \(hour < 10 ? "0" : "")\(hour):00"
        }
    }

    /// The values the home page adds: today's line and the trending hashtags.
    static func homeValues(_ store: ChorusStore, _ words: Words) async throws -> [String: Any] {
        let totals = try await store.publishedMagnitude()
        let trends = try await store.currentTrends(limit: 5)
        return [
            "today_line": todayLine(totals, words),
            "metoo_count": totals.meTooPeople.map { $0.groupedText } ?? words["magnitude_fewer"],
            "believe_count": totals.beliefs.map { $0.groupedText } ?? words["magnitude_fewer"],
            "pledge_count": totals.pledges.map { $0.groupedText } ?? words["magnitude_fewer"],
            "has_trending": !trends.isEmpty,
            "trending": trends.map { tag -> [String: Any] in
                ["name": tag.name, "people": words.format("trending_people", ["n": (tag.history.first?.accounts ?? 0).groupedText])]
            },
        ]
    }

    /// The options of the optional country select on the *me too* form, by name in the reader's language.
    static func countryOptions(language: String, selected: String?) -> [[String: Any]] {
        CountryChoice.codes.map { code in (code, CountryChoice.name(of: code, language: language)) }
            .sorted { $0.1.localizedStandardCompare($1.1) == .orderedAscending }
            .map { ["value": $0.0, "label": $0.1, "selected": $0.0 == selected] }
    }

    // MARK: Live

    /// Server-sent events: the totals now, then again at every change.
    func liveStream(_ context: ChorusContext) async throws -> Response {
        let (first, changes) = try await feed.listen(until: context.connectionClosed)
        // Proxies such as nginx must pass each event on at once rather than buffer the stream.
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .xAccelBuffering: "no"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                try await writer.write(first)
                for await event in changes.cancelOnGracefulShutdown() {
                    try await writer.write(event)
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Badge

    func badge(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let totals = try await store.publishedMagnitude()
        let text = totals.meTooPeople.map { words.format("badge_text", ["n": $0.groupedText]) } ?? words["badge_text_fewer"]
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(string: MagnitudeBadge.svg(text: text))))
    }

    // MARK: Open data and API

    func apiTotals() async throws -> Response {
        var object = MagnitudeJSON.totalsObject(try await store.publishedMagnitude())
        for (key, value) in MagnitudeJSON.countries(try await store.meTooByCountry()) { object[key] = value }
        return Self.json(MagnitudeJSON.encode(object), cache: "public, max-age=5")
    }

    func apiSeries(_ request: Request) async throws -> Response {
        let period = try MagnitudePeriod.parse(request.uri.queryParameters["period"].map(String.init))
        let points = period == .hour ? try await store.magnitudeHours() : try await store.magnitudeDays()
        let object: [String: Any] = [
            "period": period.rawValue, "minimum_cell": Magnitude.minimumCell, "points": points.map { MagnitudeJSON.point($0, period: period) },
        ]
        return Self.json(MagnitudeJSON.encode(object), cache: "public, max-age=30")
    }

    func openDataJSON() async throws -> Response {
        let days = try await store.magnitudeOpenData()
        var object = MagnitudeJSON.countries(try await store.meTooByCountry())
        object["minimum_cell"] = Magnitude.minimumCell
        object["days"] = days.map { day -> [String: Any] in
            var entry = MagnitudeJSON.point(day.point, period: .day)
            entry["countries"] = MagnitudeJSON.countries(day.countries)["countries"]
            entry["other_countries"] = MagnitudeJSON.countries(day.countries)["other_countries"]
            return entry
        }
        return Self.json(MagnitudeJSON.encode(object), cache: "public, max-age=300")
    }

    /// One row per day, measure and country ("" for all countries, "other" for the merged small ones); an empty value
    /// is a count of fewer than `Magnitude.minimumCell` people.
    func openDataCSV() async throws -> Response {
        var lines = ["date,measure,country,value"]
        func cell(_ value: Int?) -> String { value.map(String.init) ?? "" }
        for day in try await store.magnitudeOpenData() {
            let date = MagnitudeJSON.timestamp(day.point.start, period: .day)
            let published = day.point.published
            lines.append("\(date),me_too_people,,\(cell(published.meTooPeople))")
            lines.append("\(date),believes,,\(cell(published.beliefs))")
            lines.append("\(date),pledges,,\(cell(published.pledges))")
            let countries = CountryCount.published(day.countries)
            for country in countries.shown { lines.append("\(date),me_too_people,\(country.country),\(country.people)") }
            if let other = countries.other { lines.append("\(date),me_too_people,other,\(other)") }
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "public, max-age=300",
                .contentDisposition: "inline; filename=\"magnitude.csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }

    static func json(_ text: String, cache: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: cache],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
