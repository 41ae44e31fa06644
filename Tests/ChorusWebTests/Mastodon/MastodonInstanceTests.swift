import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The instance (v1 and v2), nodeinfo, and the harmless empty lists apps call.
@Suite struct MastodonInstanceTests {
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
            // check
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
            let markers = try await ana.get("/api/v1/markers")
            let savedMarker = try await ana.post("/api/v1/markers", form: [("home[last_read_id]", "1")])
            let signedOut = try await MastodonClient(client).get("/api/v1/filters")
            #expect(preferences["posting:default:visibility"] as? String == "public")
            #expect(markers.status == .ok)
            #expect(savedMarker.status == .ok)
            #expect(savedMarker.object.isEmpty)
            #expect(signedOut.status == .unauthorized)
        }
    }
}
