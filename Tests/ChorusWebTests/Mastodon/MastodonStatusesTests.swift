import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Statuses: #MeToo makes a *me too*, #IWill a pledge, replies are replies, favourites are *I believe you*;
/// anonymous statuses never name their author; the same screening as the web.
@Suite struct MastodonStatusesTests {
    @Test func aMeTooWithAContentWarningIsAVoiceWithEveryRequiredField() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            // act
            let status = try await ana.say("#MeToo It took me <years>.", [("spoiler_text", "assault"), ("language", "en")])
            let pledge = try await ana.post("/api/v1/statuses", json: ##"{"status": "#IWill listen", "visibility": "unlisted"}"##)
            var browser = Browser(client)
            let page = try await browser.get("/voices")
            // check
            #expect(status.status == .ok)
            for key in [
                "id", "uri", "url", "created_at", "account", "content", "visibility", "sensitive", "spoiler_text", "media_attachments",
                "application", "mentions", "tags", "emojis", "reblogs_count", "favourites_count", "replies_count", "favourited", "reblogged",
                "muted", "bookmarked", "pinned", "reblog", "poll", "card", "language", "edited_at", "in_reply_to_id", "in_reply_to_account_id",
                "filtered",
            ] {
                #expect(status.object.keys.contains(key), "missing \(key)")
            }
            #expect(status["text"] == nil)
            #expect(status["sensitive"] as? Bool == true)
            #expect(status["spoiler_text"] as? String == "assault")
            #expect(status["language"] as? String == "en")
            #expect((status["content"] as? String)?.contains("&lt;years&gt;") == true)
            #expect((status["content"] as? String)?.hasPrefix("<p><a href=") == true)
            #expect((status["chorus"] as? [String: Any])?["kind"] as? String == "metoo")
            #expect((pledge["chorus"] as? [String: Any])?["kind"] as? String == "pledge")
            #expect(pledge["visibility"] as? String == "public")
            #expect(page.body.contains("It took me &lt;years&gt;."))
        }
    }

    /// A voice's page marks the language it was written in, for screen readers, when it is one Chorus speaks.
    @Test func aVoicesPageMarksTheLanguageItWasWrittenIn() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            // act
            let portuguese = try await ana.say("#MeToo Eu também.", [("language", "pt-BR"), ("spoiler_text", "assédio")])
            let unknown = try await ana.say("#MeToo me too", [("language", "xx")])
            let portuguesePage = try await client.execute(uri: "/voices/\(portuguese["id"] as? String ?? "")", method: .get)
            let unknownPage = try await client.execute(uri: "/voices/\(unknown["id"] as? String ?? "")", method: .get)
            // check
            let body = String(buffer: portuguesePage.body)
            #expect(body.contains("<div class=\"voice-text\" dir=\"auto\" lang=\"pt\">"))
            #expect(body.contains("<span dir=\"auto\" lang=\"pt\">assédio</span>"))
            #expect(String(buffer: unknownPage.body).contains("<div class=\"voice-text\" dir=\"auto\" lang=\"en\">"))  // the page's own
        }
    }

    @Test func anAnonymousStatusIsServedAsSomeoneToEveryone() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            // act
            let anonymous = try await ana.say("#MeToo I never told anyone.", [("chorus_anonymous", "true")])
            let id = anonymous["id"] as? String ?? ""
            let reply = try await bea.say("I believe you.", [("in_reply_to_id", id)])
            let answer = try await ana.say("Thank you for believing me.", [("in_reply_to_id", reply["id"] as? String ?? "")])
            let seen = try await bea.get("/api/v1/statuses/\(id)")
            let publicTimeline = try await bea.get("/api/v1/timelines/public")
            let profile = try await bea.get("/api/v1/accounts/\(ana.accountID)/statuses")
            let context = try await bea.get("/api/v1/statuses/\(reply["id"] as? String ?? "")/context")
            // check
            let account = anonymous["account"] as? [String: Any] ?? [:]
            #expect(account["id"] as? String == "0")
            #expect(account["username"] as? String == "someone")
            #expect(account["bot"] as? Bool == false)
            #expect((answer["account"] as? [String: Any])?["username"] as? String == "someone")
            for body in [anonymous.body, seen.body, publicTimeline.body, context.body, reply.body, answer.body] {
                #expect(!body.contains(ana.accountID))
                #expect(!body.contains("\"ana\""))
            }
            #expect(reply["in_reply_to_id"] as? String == id)
            #expect(reply["in_reply_to_account_id"] is NSNull)
            #expect(!profile.ids.contains(id))
            #expect(publicTimeline.ids.contains(id))
        }
    }

    @Test func theWritersAppIsToldToOfferHelpAndNobodyElseIs() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            var anasBrowser = Browser(client)
            try await anasBrowser.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            try await anasBrowser.post("/help/country", [("country", "BR")])
            // act
            let written = try await ana.say("#MeToo I can't go on, I have the pills here")
            let seenByOther = try await bea.get("/api/v1/statuses/\(written["id"] as? String ?? "")")
            let helpURL = try #require((written["chorus"] as? [String: Any])?["help_url"] as? String)
            var appsBrowser = Browser(client)
            let help = try await appsBrowser.get(String(helpURL.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }))
            // check: the help of the country in her settings, even in a browser that knows nothing of her
            let own = written["chorus"] as? [String: Any]
            #expect(own?["crisis"] as? Bool == true)
            #expect(helpURL.hasSuffix("/help?country=BR"))
            #expect(help.body.contains("href=\"tel:190\""))
            #expect((seenByOther["chorus"] as? [String: Any])?["crisis"] == nil)
        }
    }

    @Test func directAndPrivateStatusesAreOnlyForTheirAuthor() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            // act
            let direct = try await ana.say("#MeToo just for me", [("visibility", "direct")])
            let privately = try await ana.say("a note", [("visibility", "private")])
            let journalReply = try await ana.say("and one more thing", [("visibility", "direct"), ("in_reply_to_id", direct["id"] as? String ?? "")])
            let privateReplyElsewhere = try await bea.say("hi", [("visibility", "direct"), ("in_reply_to_id", privately["id"] as? String ?? "")])
            let beasVoice = try await bea.say("#MeToo bea")
            let directToOthers = try await ana.say("hello", [("visibility", "direct"), ("in_reply_to_id", beasVoice["id"] as? String ?? "")])
            let mine = try await ana.get("/api/v1/statuses/\(direct["id"] as? String ?? "")")
            let theirs = try await bea.get("/api/v1/statuses/\(direct["id"] as? String ?? "")")
            let anonymousReader = try await MastodonClient(client).get("/api/v1/statuses/\(privately["id"] as? String ?? "")")
            // check
            #expect(direct["visibility"] as? String == "direct")
            #expect(journalReply["visibility"] as? String == "direct")
            #expect(privateReplyElsewhere.status == .unprocessableContent)  // as for any id that is not their own journal
            #expect(directToOthers.status == .unprocessableContent)
            #expect(mine.status == .ok)
            #expect(theirs.status == .notFound)
            #expect(anonymousReader.status == .notFound)
        }
    }

    @Test func idempotencyKeyReplaysReturnTheFirstStatusAndCreateNothing() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let key: HTTPFields = [.init("Idempotency-Key")!: "same-key"]
            // act
            let first = try await ana.post("/api/v1/statuses", form: [("status", "#MeToo once")], headers: key)
            let again = try await ana.post("/api/v1/statuses", form: [("status", "#MeToo once")], headers: key)
            let otherPerson = try await bea.post("/api/v1/statuses", form: [("status", "#MeToo once")], headers: key)
            let mine = try await ana.get("/api/v1/accounts/\(ana.accountID)/statuses")
            // check
            #expect(first.status == .ok)
            #expect(again["id"] as? String == first["id"] as? String)
            #expect(otherPerson["id"] as? String != first["id"] as? String)
            #expect(mine.ids == [first["id"] as? String ?? ""])
        }
    }

    @Test func anIdempotencyKeyWhosePostWasDeletedSaysSoAndAsksForANewKey() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let key: HTTPFields = [.init("Idempotency-Key")!: "retry-key"]
            let first = try await ana.post("/api/v1/statuses", form: [("status", "#MeToo once")], headers: key)
            _ = try await ana.delete("/api/v1/statuses/\(first["id"] as? String ?? "")")
            // act
            let again = try await ana.post("/api/v1/statuses", form: [("status", "#MeToo once")], headers: key)
            // check
            #expect(again.status == .unprocessableContent)
            #expect(again.error.contains("has since been deleted"))
            #expect(again.error.contains("new key"))
        }
    }

    @Test func deletingReturnsTheTextAndOnlyTheAuthorCanDelete() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let status = try await ana.say("#MeToo delete me")
            let id = status["id"] as? String ?? ""
            // act
            let byOther = try await bea.delete("/api/v1/statuses/\(id)")
            let deleted = try await ana.delete("/api/v1/statuses/\(id)")
            let after = try await ana.get("/api/v1/statuses/\(id)")
            // check
            #expect(byOther.status == .notFound)
            #expect(deleted.status == .ok)
            #expect(deleted["text"] as? String == "#MeToo delete me")
            #expect(after.status == .notFound)
            #expect(after.error.contains("Record not found"))
        }
    }

    @Test func favouritesAreBeliefsWithContextAndFavouritedBy() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let root = try await ana.say("#MeToo")
            let id = root["id"] as? String ?? ""
            let reply = try await bea.say("I believe you, and I am here.", [("in_reply_to_id", id)])
            let answer = try await ana.say("Thank you.", [("in_reply_to_id", reply["id"] as? String ?? "")])
            // act
            let favourited = try await bea.post("/api/v1/statuses/\(id)/favourite")
            let twice = try await bea.post("/api/v1/statuses/\(id)/favourite")
            let by = try await ana.get("/api/v1/statuses/\(id)/favourited_by")
            let context = try await ana.get("/api/v1/statuses/\(reply["id"] as? String ?? "")/context")
            let unfavourited = try await bea.post("/api/v1/statuses/\(id)/unfavourite")
            var browser = Browser(client)
            let magnitude = try await browser.get("/")
            // check
            #expect(favourited["favourited"] as? Bool == true)
            #expect(favourited["favourites_count"] as? Int == 1)
            #expect(twice["favourites_count"] as? Int == 1)
            #expect(by.ids == [bea.accountID])
            #expect((context["ancestors"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id])
            #expect((context["descendants"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [answer["id"] as? String ?? ""])
            #expect(reply["in_reply_to_account_id"] as? String == ana.accountID)
            #expect((reply["chorus"] as? [String: Any])?["kind"] as? String == "reply")
            #expect(unfavourited["favourited"] as? Bool == false)
            #expect(unfavourited["favourites_count"] as? Int == 0)
            #expect(magnitude.status == .ok)
        }
    }

    @Test func heldRepliesAreSeenOnlyByTheirWriterAndReplyPoliciesAreKept() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let root = try await ana.say("#MeToo it was at a party", [("chorus_reply_policy", "everyone")])
            let closed = try await ana.say("#MeToo no replies please", [("chorus_reply_policy", "nobody")])
            let id = root["id"] as? String ?? ""
            // act
            let held = try await bea.say("I believe you, but what were you wearing?", [("in_reply_to_id", id)])
            let heldID = held["id"] as? String ?? ""
            let bySurvivor = try await ana.get("/api/v1/statuses/\(heldID)")
            let context = try await ana.get("/api/v1/statuses/\(id)/context")
            let byWriter = try await bea.get("/api/v1/statuses/\(heldID)")
            let refused = try await bea.say("I believe you", [("in_reply_to_id", closed["id"] as? String ?? "")])
            let notifications = try await ana.get("/api/v1/notifications")
            let json = "application/json"
            let stillHarmful = try await bea.request(
                .put, "/api/v1/statuses/\(heldID)", body: #"{"status": "Why did you go to that party?"}"#, contentType: json)
            let rewritten = try await bea.request(
                .put, "/api/v1/statuses/\(heldID)", body: #"{"status": "I believe you. It was not your fault."}"#, contentType: json)
            let editOfAVoice = try await ana.request(.put, "/api/v1/statuses/\(id)", body: #"{"status": "changed"}"#, contentType: json)
            let toldNow = try await ana.get("/api/v1/notifications")
            // check
            #expect(held.status == .ok)
            #expect((held["chorus"] as? [String: Any])?["held"] as? Bool == true)
            // its writer's app shows that it waits, what it looked like, and where to rewrite it
            #expect((held["spoiler_text"] as? String)?.hasPrefix("Waiting for review") == true)
            #expect(["blaming", "why_question"].contains((held["chorus"] as? [String: Any])?["guard_label"] as? String ?? ""))
            #expect((held["content"] as? String)?.contains("/voices/\(heldID)/rewrite") == true)
            #expect(bySurvivor.status == .notFound)
            #expect((context["descendants"] as? [Any])?.isEmpty == true)
            #expect(byWriter.status == .ok)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.error.contains("chosen not to receive replies"))
            #expect(notifications.list.isEmpty)
            #expect((stillHarmful["chorus"] as? [String: Any])?["held"] as? Bool == true)
            #expect((rewritten["chorus"] as? [String: Any])?["held"] as? Bool == false)
            #expect(rewritten["spoiler_text"] as? String == "")
            #expect(editOfAVoice.status == .unprocessableContent)
            #expect(toldNow.list.map { $0["type"] as? String } == ["mention"])
        }
    }

    /// An author's app is told a moderator hid their voice, and where to read why; a reply kept apart by a block looks
    /// like any reply to its writer (anything else would tell them they were blocked).
    @Test func anAuthorsAppIsToldAModeratorHidTheirVoiceButNotOfABlock() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let bob = try await MastodonClient.signedUp(client, "bob")
            let voice = try await ana.say("#MeToo buy cheap watches")["id"] as? String ?? ""
            let beasVoice = try await bea.say("#MeToo it happened")["id"] as? String ?? ""
            let cal = try await MastodonClient.signedUp(client, "cal")
            let calsReply = try await cal.say("I believe you, Bea.", [("in_reply_to_id", beasVoice)])["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/accounts/\(bob.accountID)/block")
            let keptApart = try await bob.say("I believe you too.", [("in_reply_to_id", calsReply)])["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/reports", form: [("status_ids[]", voice), ("category", "spam")])
            // act
            try await chorus.moderatorHidesTheReportedVoice(client)
            let hidden = try await ana.get("/api/v1/statuses/\(voice)")
            let reply = try await bob.get("/api/v1/statuses/\(keptApart)")
            // check
            #expect((hidden["chorus"] as? [String: Any])?["hidden_by_moderators"] as? Bool == true)
            #expect(((hidden["chorus"] as? [String: Any])?["moderation_url"] as? String)?.hasSuffix("/account/moderation") == true)
            #expect(reply.status == .ok)
            #expect((reply["chorus"] as? [String: Any])?["hidden_by_moderators"] == nil)
            #expect(try await MastodonClient(client).get("/api/v1/statuses/\(keptApart)").status == .notFound)
        }
    }

    /// The person a moderator acted on is told among their app's notifications (`moderation_warning`): what was decided,
    /// under which rule and why, and where to ask again. The person who reported it is not sent one.
    @Test func aPersonsAppIsToldOfAModerationDecisionAmongTheirNotifications() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let voice = try await ana.say("#MeToo buy cheap watches")["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/reports", form: [("status_ids[]", voice), ("category", "spam")])
            // act
            try await chorus.moderatorHidesTheReportedVoice(client)
            let told = try await ana.get("/api/v1/notifications")
            let grouped = try await ana.get("/api/v2/notifications")
            let reporter = try await bea.get("/api/v1/notifications")
            let onlyWarnings = try await ana.get("/api/v1/notifications?types[]=moderation_warning")
            let withoutWarnings = try await ana.get("/api/v1/notifications?exclude_types[]=moderation_warning")
            // check
            let notification = try #require(told.list.first)
            let warning = try #require(notification["moderation_warning"] as? [String: Any])
            #expect(told.list.count == 1)
            #expect(notification["type"] as? String == "moderation_warning")
            #expect((notification["account"] as? [String: Any])?["id"] as? String == ana.accountID)
            #expect(warning["action"] as? String == "delete_statuses")
            #expect(warning["status_ids"] as? [String] == [voice])
            #expect((warning["text"] as? String)?.contains("Advertising.") == true)
            #expect((warning["target_account"] as? [String: Any])?["id"] as? String == ana.accountID)
            #expect(((warning["chorus"] as? [String: Any])?["moderation_url"] as? String)?.hasSuffix("/account/moderation") == true)
            #expect((warning["chorus"] as? [String: Any])?["can_appeal"] as? Bool == true)
            let group = try #require((grouped["notification_groups"] as? [[String: Any]])?.first)
            #expect(group["type"] as? String == "moderation_warning")
            #expect((group["moderation_warning"] as? [String: Any])?["action"] as? String == "delete_statuses")
            #expect(reporter.list.isEmpty)
            #expect(onlyWarnings.list.count == 1)
            #expect(withoutWarnings.list.isEmpty)
        }
    }

    @Test func badStatusesGetClearErrors() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            // act
            let tooLong = try await ana.say("#MeToo " + String(repeating: "a", count: 5_001))
            let empty = try await ana.say("   ")
            let malformed = try await ana.post("/api/v1/statuses", json: "{\"status\": ")
            let wrongType = try await ana.post("/api/v1/statuses", json: #"{"status": 5}"#)
            let notAnObject = try await ana.post("/api/v1/statuses", json: "[1]")
            let badVisibility = try await ana.say("#MeToo", [("visibility", "everyone")])
            let badReplyID = try await ana.say("hello", [("in_reply_to_id", "abc")])
            let missingParent = try await ana.say("hello", [("in_reply_to_id", "12345")])
            let media = try await ana.say("#MeToo", [("media_ids[]", "1")])
            let own = try await ana.say("#MeToo")["id"] as? String ?? ""
            let boost = try await ana.post("/api/v1/statuses/\(own)/reblog")
            let unknown = try await ana.get("/api/v1/statuses/99999")
            let notAnID = try await ana.get("/api/v1/statuses/abc")
            let wrongMedia = try await ana.request(.post, "/api/v1/statuses", body: "status=x", contentType: "text/plain")
            // check
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.error.contains("5000"))
            #expect(empty.status == .unprocessableContent)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.error.contains("JSON"))
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.error.contains("should be text"))
            #expect(notAnObject.status == .unprocessableContent)
            #expect(badVisibility.status == .unprocessableContent)
            #expect(badReplyID.status == .unprocessableContent)
            #expect(missingParent.status == .notFound)
            #expect(media.status == .unprocessableContent)
            #expect(boost.status == .unprocessableContent)
            #expect(boost.error.contains("I believe you"))
            #expect(unknown.status == .notFound)
            #expect(notAnID.status == .notFound)
            #expect(wrongMedia.status == .unprocessableContent)
        }
    }
}
