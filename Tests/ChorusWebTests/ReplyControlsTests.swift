import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Who may reply, as the survivor chooses: on the say form, later on the voice's own page, and as a default in settings.
@Suite(.serialized) struct ReplyControlsTests {
    /// What each policy allows a stranger, someone the author follows, and a belief.
    @Test(arguments: [
        ("everyone", HTTPResponse.Status.seeOther, HTTPResponse.Status.seeOther, HTTPResponse.Status.seeOther),
        ("following", .unprocessableContent, .seeOther, .seeOther),
        ("believe_only", .unprocessableContent, .unprocessableContent, .seeOther),
        ("nobody", .unprocessableContent, .unprocessableContent, .unprocessableContent),
    ])
    func eachReplyPolicyIsHonouredOnTheWeb(
        policy: String, stranger: HTTPResponse.Status, followed: HTTPResponse.Status, belief: HTTPResponse.Status
    ) async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var bea = Browser(client)
            try await bea.signUp("bea")
            var carl = Browser(client)
            try await carl.signUp("carl")
            try await ana.post("/@carl/follow", [])
            let page = try await ana.post("/say", [("text", "me too"), ("visibility", "public"), ("reply_policy", policy)])
            let voiceID = try #require(Browser.firstVoiceID(in: page.body))
            // act
            let fromStranger = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you. You are not alone.")])
            let fromFollowed = try await carl.post("/voices/\(voiceID)/reply", [("text", "I believe you. I'm here.")])
            let believed = try await bea.post("/voices/\(voiceID)/believe", [])
            let fromAuthor = try await ana.post("/voices/\(voiceID)/reply", [("text", "Thank you all.")])
            let thread = try await bea.get("/voices/\(voiceID)")
            // check
            #expect(fromStranger.status == stranger)
            #expect(fromFollowed.status == followed)
            #expect(believed.status == belief)
            #expect(fromAuthor.status == .seeOther)
            if stranger != .seeOther { #expect(fromStranger.body.contains("The person who shared this has chosen")) }
            #expect(thread.body.contains("action=\"/voices/\(voiceID)/reply\"") == (policy == "everyone" || policy == "following"))
        }
    }

    @Test func onAnAnonymousVoicePeopleIFollowSeeNoReplyFormAndAreAnsweredLikeAnyone() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var carl = Browser(client)
            try await carl.signUp("carl")
            var bea = Browser(client)
            try await bea.signUp("bea")
            try await ana.post("/@carl/follow", [])
            let page = try await ana.post("/say", [("text", "me too"), ("visibility", "anonymous"), ("reply_policy", "following")])
            let voiceID = try #require(Browser.firstVoiceID(in: page.body))
            // act
            let carlsView = try await carl.get("/voices/\(voiceID)")
            let anasView = try await ana.get("/voices/\(voiceID)")
            let fromFollowed = try await carl.post("/voices/\(voiceID)/reply", [("text", "I believe you. I'm here.")])
            let fromStranger = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you. I'm here.")])
            // check
            let form = "action=\"/voices/\(voiceID)/reply\""
            #expect(!carlsView.body.contains(form))
            #expect(anasView.body.contains(form))
            // Both are answered the same: letting Carl through would tell him that the anonymous author follows him.
            #expect(fromFollowed.status == .unprocessableContent)
            #expect(fromStranger.status == .unprocessableContent)
        }
    }

    @Test func survivorChangesWhoMayReplyToAVoiceAlreadyShared() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let form = try await ana.get("/voices/\(voiceID)")
            let changed = try await ana.post("/voices/\(voiceID)/reply-policy", [("reply_policy", "nobody")])
            let refused = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you")])
            let byOther = try await bea.post("/voices/\(voiceID)/reply-policy", [("reply_policy", "everyone")])
            let unknown = try await ana.post("/voices/\(voiceID)/reply-policy", [("reply_policy", "friends")])
            try await ana.post("/voices/\(voiceID)/reply-policy", [("reply_policy", "everyone")])
            let allowed = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you")])
            // check
            #expect(form.body.contains("action=\"/voices/\(voiceID)/reply-policy\""))
            #expect(changed.status == .seeOther)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("has chosen not to receive replies"))
            #expect(byOther.status == .notFound)
            #expect(unknown.status == .unprocessableContent)
            #expect(allowed.status == .seeOther)
        }
    }

    @Test func theDefaultFromSettingsAppliesToNewVoices() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/account/settings", [("default_reply_policy", "believe_only")])
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let page = try await ana.post("/say", [("text", "me too"), ("visibility", "public")])
            let voiceID = try #require(Browser.firstVoiceID(in: page.body))
            let reply = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you")])
            let belief = try await bea.post("/voices/\(voiceID)/believe", [])
            // check
            #expect(reply.status == .unprocessableContent)
            #expect(reply.body.contains("“I believe you” only"))
            #expect(belief.status == .seeOther)
        }
    }
}
