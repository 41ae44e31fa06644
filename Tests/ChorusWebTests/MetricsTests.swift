import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/metrics` is for the instance's operators: there only with a metrics token, shown only to a scraper that sends it,
/// and it counts requests and writes without naming anyone.
@Suite struct MetricsTests {
    private static let token = "a-metrics-token-for-the-tests-0123456789"

    @Test func withoutAMetricsTokenThereIsNoMetricsPage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.router) { client in
            // act
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"])
            // check
            #expect(response.status == .notFound)
        }
    }

    @Test func aScraperWithoutTheTokenIsToldWhatToSend() async throws {
        // setup
        let app = try await makeApp { $0.metricsToken = Self.token }
        try await app.test(.router) { client in
            // act
            let unasked = try await client.execute(uri: "/metrics", method: .get)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token.dropLast())"])
            // check
            for response in [unasked, wrong] {
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
                #expect(String(buffer: response.body).contains("send its metrics token as Authorization: Bearer"))
                #expect(!String(buffer: response.body).contains("chorus_"))
            }
        }
    }

    @Test func theScraperSeesRequestsByRouteWritesStreamsAndMemoryButNoOne() async throws {
        // setup
        let app = try await makeApp { $0.metricsToken = Self.token }
        try await app.test(.router) { client in
            var ana = Browser(client)
            try await ana.signUp("ana_counted")
            let (_, id) = try await ana.sayMeToo("It was my coach. #MeToo")
            try await ana.get("/voices/\(id ?? "")")
            // act
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"])
            // check
            let text = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let engine = TestDatabase.isPostgres ? "postgres" : "sqlite"
            #expect(Self.value(in: text, of: "chorus_http_requests_total", with: ["route=\"/say\"", "status=\"201\""]) ?? 0 >= 1)
            // A voice's page is counted under its route's pattern, never under the voice's own address.
            #expect(Self.value(in: text, of: "chorus_http_requests_total", with: ["route=\"/voices/{id}\"", "status=\"200\""]) ?? 0 >= 1)
            #expect(!text.contains("/voices/\(id ?? "-")"))
            #expect(Self.value(in: text, of: "chorus_http_request_duration_seconds_count", with: ["route=\"/say\""]) ?? 0 >= 1)
            #expect(Self.value(in: text, of: "chorus_write_duration_seconds_count", with: ["engine=\"\(engine)\""]) ?? 0 >= 2)
            if !TestDatabase.isPostgres {
                #expect(Self.value(in: text, of: "chorus_sqlite_writes_per_commit_count", with: []) ?? 0 >= 2)
                #expect(Self.value(in: text, of: "chorus_sqlite_wal_sync_duration_seconds_count", with: []) ?? 0 >= 1)
            }
            #expect(Self.value(in: text, of: "chorus_live_streams", with: []) != nil)
            #expect(Self.value(in: text, of: "process_resident_memory_bytes", with: []) ?? 0 > 1_000_000)
            for personal in ["ana_counted", "coach", "MeToo", "127.0.0.1"] { #expect(!text.contains(personal), "\(personal)") }
        }
    }

    /// The value on the first line of `metric` whose labels include all of `labels` (Prometheus's text format).
    private static func value(in text: String, of metric: String, with labels: [String]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "{") || line.hasPrefix(metric + " ") {
            let name = line.prefix { $0 != " " }
            guard labels.allSatisfy({ name.contains($0) }), let value = line.split(separator: " ").last else { continue }
            return Double(value)
        }
        return nil
    }
}
