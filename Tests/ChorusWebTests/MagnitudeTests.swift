import ChorusCore
import ChorusStore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// How many of us: the page, the live stream, the badge, the open data and the API, through a real socket.
@Suite struct MagnitudeTests {
    /// `count` people, each signed up and saying *me too* (with `country` when given).
    func speak(_ client: any TestClientProtocol, _ count: Int, from first: Int = 0, country: String = "") async throws {
        for index in first..<(first + count) {
            var person = Browser(client)
            try await person.signUp("voice\(index)")
            let said = try await person.post(
                "/say", [("text", ""), ("content_warning", ""), ("visibility", "anonymous"), ("reply_policy", "everyone"), ("country", country)])
            #expect(said.status == .created)
        }
    }

    /// An app whose database holds, from yesterday (UTC), a *me too* from each of `counts`' people, with its country: a
    /// day's countries are published once it is over.
    func appWithYesterday(_ counts: [(country: String, people: Int)]) async throws -> some ApplicationProtocol {
        let engine = try await TestDatabase.freshEngine()
        let store = try await ChorusStore.open(engine, logger: Logger(label: "test"))
        for (country, people) in counts {
            for index in 0..<people {
                let account = try await store.createAccount(
                    handle: try Handle("yesterday_\(country.lowercased())\(index)"), passwordHash: "x", recoveryCodes: [])
                _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .anonymous, country: country), by: account.id)
            }
        }
        try await store.database.write { db in
            try await db.raw("UPDATE voices SET created_at = created_at - 86400000").run()
            try await db.raw("DELETE FROM countries_as_the_day_began").run()
        }
        try await store.rebuildMagnitude()
        await store.shutdown()
        var config = AppConfig(port: 0, databaseURL: TestDatabase.databaseURL(engine), bcryptCost: 4, logLevel: .warning)
        config.rateLimits = .off
        return try await buildApplication(config)
    }

    /// Whether `text` is well-formed XML.
    func isWellFormedXML(_ text: String) -> Bool {
        XMLParser(data: Data(text.utf8)).parse()
    }

    func svgs(in html: String) -> [String] {
        html.matches(of: /<svg[\s\S]*?<\/svg>/).map { String($0.output) }
    }

    func json(_ page: Browser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
    }

    @Test func pageShowsTotalsLabelledChartsAndTablesWithoutInlineScript() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            try await speak(client, 2)
            var reader = Browser(client)
            // act
            let page = try await reader.get("/magnitude")
            // check
            #expect(page.status == .ok)
            #expect(page.body.contains("data-count=\"metoo\">fewer than 10<"))
            #expect(page.body.contains("Fewer than 10 people have said me too so far today."))
            #expect(page.body.contains("<script src=\"/static/magnitude.js\" defer></script>"))
            #expect(page.body.matches(of: /<script(?![^>]*\bsrc=)/).isEmpty)
            let charts = svgs(in: page.body)
            #expect(charts.count == 2)
            for chart in charts {
                #expect(isWellFormedXML(chart))
                #expect(chart.contains("role=\"img\""))
            }
            #expect(charts[0].contains("aria-labelledby=\"chart-hours-title chart-hours-desc\""))
            #expect(charts[0].contains("<title id=\"chart-hours-title\">The last 48 hours</title>"))
            #expect(charts[0].contains("<desc id=\"chart-hours-desc\">"))
            #expect(charts[0].matches(of: /stroke-dasharray/).count == 48)  // every hour suppressed: 2 people
            #expect(page.body.contains("<caption>People who said me too, believed and pledged, each hour"))
            #expect(page.body.contains("No hour in the last 48 hours had 10 or more people"))
            #expect(page.body.contains("fewer than 10 people, a total, a country") || page.body.contains("shown as “fewer than 10”"))
        }
    }

    @Test func pageShowsCountsAndCountriesOnceTenPeopleHaveSpoken() async throws {
        // setup
        let app = try await appWithYesterday([("FR", 10)])
        try await app.test(.live) { client in
            try await speak(client, 10, country: "FR")
            var reader = Browser(client)
            // act
            let page = try await reader.get("/magnitude")
            let home = try await reader.get("/")
            // check
            #expect(page.body.contains("data-count=\"metoo\">20<"))
            #expect(page.body.contains("10 people said me too today."))
            #expect(page.body.contains("<th scope=\"row\">France</th><td>10</td>"))  // today's ten count from tomorrow
            #expect(svgs(in: page.body).first?.contains("<rect") == true)
            #expect(home.body.contains("10 people said me too today."))
            #expect(home.body.contains("data-count=\"metoo\">20<"))
            #expect(home.body.contains("href=\"/magnitude\""))
        }
    }

    @Test func homeShowsTrendingHashtagsOnceTenPeopleUseThem() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var reader = Browser(client)
            let quiet = try await reader.get("/")
            for index in 0..<10 {
                var person = Browser(client)
                try await person.signUp("tagger\(index)")
                try await person.sayMeToo("Still here. #StillHere", visibility: "anonymous")
            }
            // act
            let home = try await reader.get("/")
            // check
            #expect(quiet.body.contains("No hashtag is trending right now."))
            #expect(home.body.contains("<a href=\"/tags/stillhere\">#stillhere</a> <span class=\"hint\">10 people today</span>"))
        }
    }

    @Test func badgeIsCacheableLabelledSVG() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var reader = Browser(client)
            let few = try await reader.get("/magnitude/badge.svg")
            try await speak(client, 10)
            // act
            let badge = try await reader.get("/magnitude/badge.svg")
            // check
            #expect(few.body.contains("fewer than 10 people said me too"))
            #expect(badge.status == .ok)
            #expect(badge.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(badge.headers[.cacheControl] == "public, max-age=60")
            #expect(isWellFormedXML(badge.body))
            #expect(badge.body.contains("<title id=\"badge-title\">10 people said me too</title>"))
            #expect(badge.body.contains("role=\"img\""))
        }
    }

    @Test func apiAndOpenDataPublishNothingBelowTenPeople() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            try await speak(client, 9, country: "DE")
            var reader = Browser(client)
            // act
            let totals = try json(try await reader.get("/api/v1/chorus/magnitude"))
            let hours = try json(try await reader.get("/api/v1/chorus/magnitude/series?period=hour"))
            let days = try json(try await reader.get("/api/v1/chorus/magnitude/series?period=day"))
            let csv = try await reader.get("/magnitude.csv")
            let data = try json(try await reader.get("/magnitude.json"))
            // check
            #expect(totals["me_too_people"] is NSNull)
            #expect(totals["me_too_today"] is NSNull)
            #expect(totals["minimum_cell"] as? Int == 10)
            #expect((totals["countries"] as? [Any])?.isEmpty == true)
            #expect(totals["other_countries"] is NSNull)
            let hourPoints = try #require(hours["points"] as? [[String: Any]])
            #expect(hourPoints.count == 48)
            #expect(hourPoints.allSatisfy { $0["me_too_people"] is NSNull })
            let dayPoints = try #require(days["points"] as? [[String: Any]])
            #expect(dayPoints.count == 1)
            #expect(dayPoints.allSatisfy { $0["me_too_people"] is NSNull })
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("date,measure,country,value\n"))
            #expect(csv.body.contains(",me_too_people,,\n"))
            #expect(!csv.body.contains(",DE,"))
            #expect(!csv.body.contains(",9\n"))
            let dataDays = try #require(data["days"] as? [[String: Any]])
            #expect(dataDays.count == 1)
            #expect(dataDays[0]["me_too_people"] is NSNull)
            #expect((dataDays[0]["countries"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func apiAndOpenDataPublishCountsOfTenOrMore() async throws {
        // setup
        let app = try await appWithYesterday([("BR", 10), ("PT", 3)])
        try await app.test(.live) { client in
            try await speak(client, 12, country: "BR")
            var reader = Browser(client)
            // act
            let totals = try json(try await reader.get("/api/v1/chorus/magnitude"))
            let csv = try await reader.get("/magnitude.csv")
            let data = try json(try await reader.get("/magnitude.json"))
            // check
            #expect(totals["me_too_people"] as? Int == 25)
            #expect(totals["me_too_today"] as? Int == 12)
            #expect(totals["believes"] is NSNull)
            let countries = try #require(totals["countries"] as? [[String: Any]])
            #expect(countries.count == 1)
            #expect(countries.first?["country"] as? String == "BR")
            #expect(countries.first?["people"] as? Int == 10)  // today's twelve count in Brazil from tomorrow
            #expect(totals["other_countries"] is NSNull)  // 3 people in Portugal: too few even merged
            #expect(csv.body.contains(",me_too_people,,13\n"))
            #expect(csv.body.contains(",me_too_people,,12\n"))
            #expect(csv.body.contains(",me_too_people,BR,10\n"))
            #expect(!csv.body.contains(",me_too_people,BR,12\n"))
            #expect(!csv.body.contains("PT"))
            let dataDays = try #require(data["days"] as? [[String: Any]])
            #expect(dataDays.last?["me_too_people"] as? Int == 12)
            #expect((dataDays.last?["countries"] as? [Any])?.isEmpty == true)
            #expect((dataDays.dropLast().last?["countries"] as? [[String: Any]])?.first?["people"] as? Int == 10)
        }
    }

    @Test func seriesRefusesAnUnknownPeriodInJSON() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var reader = Browser(client)
            // act
            let page = try await reader.get("/api/v1/chorus/magnitude/series?period=week")
            // check
            #expect(page.status == .unprocessableContent)
            #expect(try json(page)["error"] as? String == "Choose period=hour or period=day.")
        }
    }

    @Test func sayFormOffersAnOptionalCountryAndRefusesUnknownOnes() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var person = Browser(client)
            try await person.signUp("ana")
            // act
            let form = try await person.get("/say")
            let refused = try await person.post(
                "/say", [("text", "mine"), ("content_warning", ""), ("visibility", "public"), ("reply_policy", "everyone"), ("country", "XX")])
            // check
            #expect(form.body.contains("<select id=\"country\" name=\"country\""))
            #expect(
                form.body.contains("<option value=\"\">I&#39;d rather not say</option>")
                    || form.body.contains("<option value=\"\">I'd rather not say</option>"))
            #expect(form.body.contains("<option value=\"FR\">France</option>"))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Choose a country from the list, or leave it empty."))
            #expect(refused.body.contains(">mine</textarea>"))
        }
    }

    @Test func liveStreamSendsNewTotalsWithinASecondThroughARealSocket() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            try await speak(client, 9)
            let port = try #require(client.port)
            let stream = try await EventStream.open(port: port, path: "/magnitude/live")
            try await stream.read(until: "\"me_too_people\":null")
            // act
            try await speak(client, 1, from: 9)
            let spoken = ContinuousClock.now
            let received = try await stream.read(until: "\"me_too_people\":10")
            let delay = ContinuousClock.now - spoken
            await stream.close()
            // check
            #expect(received.contains("event: magnitude"))
            #expect(received.contains("\"me_too_today\":10"))
            #expect(delay < .seconds(1))
        }
    }
}

/// A server-sent event stream read over a plain TCP socket, as a browser's EventSource reads it.
final class EventStream: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let received = Mutex("")
    let reader = Mutex<Task<Void, any Error>?>(nil)

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
    }

    static func open(port: Int, path: String) async throws -> EventStream {
        let channel = try await RawConnection.open(port: port).channel
        try await channel.outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"))
        let stream = EventStream(channel: channel)
        let task = Task {
            for try await chunk in channel.inbound { stream.received.withLock { $0 += String(buffer: chunk) } }
        }
        stream.reader.withLock { $0 = task }
        return stream
    }

    /// Waits (up to 5 s) until what was received contains `text`; returns everything received so far.
    @discardableResult
    func read(until text: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            let sofar = received.withLock { $0 }
            if sofar.contains(text) { return sofar }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("The event stream did not send \(text) within 5 seconds; it sent: \(received.withLock { $0 })")
        throw CancellationError()
    }

    func close() async {
        try? await channel.channel.close()
        reader.withLock { $0?.cancel() }
    }
}
