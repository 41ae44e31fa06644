import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The instance (v1 and v2), nodeinfo, and the harmless empty lists apps call.
@Suite struct MastodonInstanceTests {
    /// Apps that run in a browser on their own site (Elk, Phanpy) may call the API, as on Mastodon; the pages stay
    /// closed to other sites.
    @Test func appsInABrowserOnAnotherSiteMayCallTheAPI() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let origin: HTTPFields = [.origin: "https://elk.example"]
            var preflightHeaders = origin
            preflightHeaders[.accessControlRequestMethod] = "POST"
            preflightHeaders[.accessControlRequestHeaders] = "authorization, content-type, idempotency-key"
            // act
            let preflight = try await client.execute(uri: "/api/v1/statuses", method: .options, headers: preflightHeaders)
            let tokenPreflight = try await client.execute(uri: "/oauth/token", method: .options, headers: preflightHeaders)
            let instance = try await client.execute(uri: "/api/v1/instance", method: .get, headers: origin)
            let page = try await client.execute(uri: "/voices", method: .get, headers: origin)
            let health = try await client.execute(uri: "/health", method: .get)
            // check
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "*")
            #expect(preflight.headers[.accessControlAllowHeaders] == "authorization, content-type, idempotency-key")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(tokenPreflight.status == .noContent)
            #expect(instance.headers[.accessControlAllowOrigin] == "*")
            #expect(instance.headers[.accessControlExposeHeaders]?.contains("Link") == true)
            #expect(page.headers[.accessControlAllowOrigin] == nil)
            #expect(String(buffer: health.body) == "OK")
        }
    }

    /// What apps ask on launch, on profiles and on the notifications screen answers Mastodon's shape, empty.
    @Test func launchProfileAndNotificationScreensGetEmptyDefaults() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            // act
            let described = try await ana.get("/api/v1/instance/extended_description")
            let policyV1 = try await ana.get("/api/v1/notifications/policy")
            let policyV2 = try await ana.get("/api/v2/notifications/policy")
            let requests = try await ana.get("/api/v1/notifications/requests")
            let featured = try await ana.get("/api/v1/accounts/\(ana.accountID)/featured_tags")
            let lists = try await ana.get("/api/v1/accounts/\(ana.accountID)/lists")
            let familiar = try await ana.get("/api/v1/accounts/familiar_followers?id[]=\(ana.accountID)")
            let languages = try await ana.get("/api/v1/instance/languages")
            // check
            #expect((described["content"] as? String)?.contains("#MeToo") == true)
            #expect(policyV1["filter_not_following"] as? Bool == false)
            #expect(policyV2["for_not_following"] as? String == "accept")
            #expect((policyV2["summary"] as? [String: Any])?["pending_requests_count"] as? Int == 0)
            #expect(requests.status == .ok && requests.list.isEmpty)
            #expect(featured.status == .ok && lists.status == .ok && languages.status == .ok)
            #expect(familiar.list.first?["id"] as? String == ana.accountID)
        }
    }

    @Test func instanceV1AndV2DescribeChorusAsMastodonDoes() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let reader = MastodonClient(client)
            // act
            let v1 = try await reader.get("/api/v1/instance")
            let v2 = try await reader.get("/api/v2/instance")
            let emojis = try await reader.get("/api/v1/custom_emojis")
            let nodeinfo = try await reader.get("/.well-known/nodeinfo")
            let schema = try await reader.get("/nodeinfo/2.0")
            let health = try await reader.get("/api/v1/streaming/health")
            let plainStreaming = try await reader.get("/api/v1/streaming?stream=public")
            // check
            #expect(plainStreaming.status == .upgradeRequired)
            #expect((plainStreaming["error"] as? String)?.contains("Server-Sent Events at /api/v1/streaming/public") == true)
            #expect(v1["version"] as? String == "4.3.0")
            let v1Configuration = v1["configuration"] as? [String: Any]
            #expect((v1Configuration?["statuses"] as? [String: Any])?["max_characters"] as? Int == 5000)
            #expect((v1Configuration?["statuses"] as? [String: Any])?["max_media_attachments"] as? Int == 0)
            #expect(((v1["urls"] as? [String: Any])?["streaming_api"] as? String)?.hasPrefix("ws://") == true)
            #expect(v1["registrations"] as? Bool == true)
            #expect((v1["rules"] as? [Any])?.isEmpty == false)
            #expect((v2["api_versions"] as? [String: Any])?["mastodon"] as? Int == 2)
            #expect(v2["version"] as? String == "4.3.0")
            let v2Configuration = v2["configuration"] as? [String: Any]
            #expect((v2Configuration?["statuses"] as? [String: Any])?["max_characters"] as? Int == 5000)
            #expect((v2["registrations"] as? [String: Any])?["enabled"] as? Bool == true)
            #expect(v2["contact"] is [String: Any])
            #expect(emojis.status == .ok && emojis.list.isEmpty)
            #expect(nodeinfo.status == .ok)
            #expect((schema["software"] as? [String: Any])?["name"] as? String == "chorus")
            #expect(health.body == "OK")
        }
    }

    @Test func listsChorusDoesNotKeepAreEmptyForSignedInApps() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            // act / check
            for path in [
                "/api/v1/filters", "/api/v2/filters", "/api/v1/lists", "/api/v1/announcements", "/api/v1/mutes", "/api/v1/blocks",
                "/api/v1/bookmarks", "/api/v1/accounts/\(ana.accountID)/following", "/api/v1/accounts/\(ana.accountID)/followers",
            ] {
                let reply = try await ana.get(path)
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.list.isEmpty, "\(path)")
            }
            let preferences = try await ana.get("/api/v1/preferences")
            let signedOut = try await MastodonClient(client).get("/api/v1/filters")
            #expect(preferences["posting:default:visibility"] as? String == "public")
            #expect(signedOut.status == .unauthorized)
        }
    }

    /// Where a person stopped reading is kept, so that each of their apps opens where another left off; nobody else sees it.
    @Test func readPositionsAreKeptForEachOfAPersonsApps() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let before = try await ana.get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
            // act
            let first = try await ana.post("/api/v1/markers", form: [("home[last_read_id]", "105"), ("notifications[last_read_id]", "7")])
            let second = try await ana.post("/api/v1/markers", json: #"{"home": {"last_read_id": "109"}}"#)
            let both = try await ana.get("/api/v1/markers?timeline[]=home&timeline[]=notifications")
            let homeOnly = try await ana.get("/api/v1/markers?timeline[]=home")
            let none = try await ana.get("/api/v1/markers")
            let beas = try await bea.get("/api/v1/markers?timeline[]=home")
            let empty = try await ana.post("/api/v1/markers", form: [("home[last_read_id]", "")])
            let notAnID = try await ana.post("/api/v1/markers", form: [("home[last_read_id]", "the top")])
            let signedOut = try await MastodonClient(client).get("/api/v1/markers?timeline[]=home")
            // check
            #expect(before.status == .ok && before.object.isEmpty)
            #expect(first.status == .ok)
            #expect((first["home"] as? [String: Any])?["last_read_id"] as? String == "105")
            #expect((first["home"] as? [String: Any])?["version"] as? Int == 0)
            #expect((first["notifications"] as? [String: Any])?["last_read_id"] as? String == "7")
            #expect(second.status == .ok && second.object.keys.sorted() == ["home"])
            #expect((second["home"] as? [String: Any])?["version"] as? Int == 1)
            let home = try #require(both["home"] as? [String: Any])
            #expect(home["last_read_id"] as? String == "109")
            #expect((home["updated_at"] as? String)?.hasSuffix("Z") == true)
            #expect((both["notifications"] as? [String: Any])?["last_read_id"] as? String == "7")
            #expect(homeOnly.object.keys.sorted() == ["home"])
            #expect(none.status == .ok && none.object.isEmpty)  // as on Mastodon: only the timelines asked for
            #expect(beas.status == .ok && beas.object.isEmpty)
            #expect(empty.status == .unprocessableContent)
            #expect((empty["error"] as? String)?.contains("home[last_read_id]") == true)
            #expect(notAnID.status == .unprocessableContent)
            #expect(signedOut.status == .unauthorized)
        }
    }
}
