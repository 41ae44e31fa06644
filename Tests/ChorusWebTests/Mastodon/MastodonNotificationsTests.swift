import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Notifications: favourite (*I believe you*), mention (a reply) and follow; never exposing an anonymous writer.
@Suite struct MastodonNotificationsTests {
    @Test func beliefsRepliesAndFollowsAreNotifiedAndCanBeDismissed() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let voice = try await ana.say("#MeToo")["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/statuses/\(voice)/favourite")
            let reply = try await bea.say("I believe you.", [("in_reply_to_id", voice)])
            _ = try await bea.post("/api/v1/accounts/\(ana.accountID)/follow")
            // act
            let all = try await ana.get("/api/v1/notifications")
            let mentions = try await ana.get("/api/v1/notifications?types[]=mention")
            let notFollows = try await ana.get("/api/v1/notifications?exclude_types[]=follow&exclude_types[]=mention")
            let one = try await ana.get("/api/v1/notifications/\(all.ids.first ?? "")")
            let othersView = try await bea.get("/api/v1/notifications/\(all.ids.first ?? "")")
            let dismissed = try await ana.post("/api/v1/notifications/\(all.ids.first ?? "")/dismiss")
            let afterDismiss = try await ana.get("/api/v1/notifications")
            let cleared = try await ana.post("/api/v1/notifications/clear")
            let afterClear = try await ana.get("/api/v1/notifications")
            let missing = try await ana.get("/api/v1/notifications/123")
            // check
            #expect(all.list.compactMap { $0["type"] as? String } == ["follow", "mention", "favourite"])
            #expect(all.list.allSatisfy { ($0["account"] as? [String: Any])?["id"] as? String == bea.accountID })
            #expect((mentions.list.first?["status"] as? [String: Any])?["id"] as? String == reply["id"] as? String)
            #expect(notFollows.list.compactMap { $0["type"] as? String } == ["favourite"])
            #expect(one["type"] as? String == "follow")
            #expect(othersView.status == .notFound)
            #expect(dismissed.status == .ok)
            #expect(afterDismiss.list.count == 2)
            #expect(cleared.status == .ok)
            #expect(afterClear.list.isEmpty)
            #expect(missing.status == .notFound)
        }
    }

    @Test func anonymousWritersAreNeverExposedInNotifications() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let voice = try await ana.say("#MeToo I am scared to say this", [("chorus_anonymous", "true")])["id"] as? String ?? ""
            // act: bea believes and replies; ana answers anonymously
            _ = try await bea.post("/api/v1/statuses/\(voice)/favourite")
            let reply = try await bea.say("I believe you.", [("in_reply_to_id", voice)])["id"] as? String ?? ""
            _ = try await ana.say("Thank you.", [("in_reply_to_id", reply), ("chorus_anonymous", "true")])
            let toAna = try await ana.get("/api/v1/notifications")
            let toBea = try await bea.get("/api/v1/notifications")
            // check: ana is told of the belief and the reply (she wrote the voice); bea is told of a reply by someone
            #expect(toAna.list.compactMap { $0["type"] as? String } == ["mention", "favourite"])
            #expect(toBea.list.count == 1)
            let from = toBea.list.first?["account"] as? [String: Any]
            #expect(from?["id"] as? String == "0")
            #expect(from?["username"] as? String == "someone")
            #expect(!toBea.body.contains(ana.accountID))
            #expect(!toBea.body.contains("\"ana\""))
        }
    }
}
