import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Believing, replying, pledging, hashtags, profiles, deletion and export, through a real socket.
@Suite struct VoicesTests {
    @Test func believeOnceShowsTheCountAndCanBeTakenBack() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, id) = try await ana.sayMeToo("me too")
            let voiceID = try #require(id)
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let first = try await bea.post("/voices/\(voiceID)/believe", [])
            let second = try await bea.post("/voices/\(voiceID)/believe", [])
            let page = try await ana.get("/voices/\(voiceID)")
            try await bea.post("/voices/\(voiceID)/unbelieve", [])
            let after = try await ana.get("/voices/\(voiceID)")
            let seenByBea = try await bea.get("/voices/\(voiceID)")
            // check
            #expect(first.status == .seeOther)
            #expect(second.status == .conflict)
            #expect(second.body.contains("already said"))
            #expect(page.body.contains("1 person believes you"))
            #expect(!page.body.contains("action=\"/voices/\(voiceID)/believe\""), "the survivor is not offered to believe herself")
            // The invitation is for supporters: at zero the survivor is not told that nobody has believed her yet.
            #expect(!after.body.contains("Be the first to say I believe you"))
            #expect(!after.body.contains("believe-count"))
            #expect(seenByBea.body.contains("Be the first to say I believe you"))
        }
    }

    /// A *me too* form sent twice (a double click, or a reload of the page that thanks them) is said once; a new form
    /// says it again.
    @Test func aMeTooFormSentTwiceIsSaidOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let form = try await ana.get("/say")
            let submission = try #require(Self.hiddenValue("submission", in: form.body))
            let fields = [("text", "it happened at work"), ("visibility", "public"), ("reply_policy", "everyone"), ("submission", submission)]
            // act
            let first = try await ana.post("/say", fields)
            let again = try await ana.post("/say", fields)
            let next = try await ana.get("/say")
            let other = try await ana.post("/say", fields.dropLast() + [("submission", try #require(Self.hiddenValue("submission", in: next.body)))])
            let list = try await ana.get("/voices")
            // check
            #expect(first.status == .created)
            #expect(again.status == .created)
            let id = try #require(Browser.firstVoiceID(in: first.body))
            #expect(Browser.firstVoiceID(in: again.body) == id)
            #expect(other.status == .created)
            #expect(Browser.firstVoiceID(in: other.body) != id)
            #expect(list.body.components(separatedBy: "it happened at work").count - 1 == 2)
        }
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value="[^"]*""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst("name=\"\(name)\" value=\"".count).dropLast())
    }

    @Test func believingAVoiceOneCannotSeeIsNotFound() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, id) = try await ana.sayMeToo("only for me", visibility: "only_me")
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let believe = try await bea.post("/voices/\(try #require(id))/believe", [])
            let view = try await bea.get("/voices/\(try #require(id))")
            // check
            #expect(believe.status == .notFound)
            #expect(view.status == .notFound)
            #expect(!view.body.contains("only for me"))
        }
    }

    @Test func repliesAppearInTheThreadAndRepliesToDeletedVoicesAreRefused() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, id) = try await ana.sayMeToo("me too")
            let voiceID = try #require(id)
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let reply = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you. It's not your fault.")])
            let empty = try await bea.post("/voices/\(voiceID)/reply", [("text", "   ")])
            let thread = try await ana.get("/voices/\(voiceID)")
            try await ana.post("/voices/\(voiceID)/delete", [("confirmed", "yes")])
            let late = try await bea.post("/voices/\(voiceID)/reply", [("text", "I believe you")])
            // check
            #expect(reply.status == .seeOther)
            #expect(empty.status == .unprocessableContent)
            #expect(thread.body.contains("It&#39;s not your fault."))
            #expect(late.status == .notFound)
        }
    }

    /// A voice goes with every reply and "I believe you" it received, and nothing brings it back: "Delete" asks first.
    @Test func deletingAVoiceAsksFirstAndOnlyItsWriterCan() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("my story").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let asked = try await ana.post("/voices/\(voiceID)/delete", [])
            let stillThere = try await bea.get("/voices/\(voiceID)")
            let notHers = try await bea.post("/voices/\(voiceID)/delete", [])
            let confirmed = try await ana.post("/voices/\(voiceID)/delete", [("confirmed", "yes")])
            let gone = try await bea.get("/voices/\(voiceID)")
            // check
            #expect(asked.status == .ok)
            #expect(asked.body.contains("Delete this for good?"))
            #expect(asked.body.contains("name=\"confirmed\" value=\"yes\""))
            #expect(asked.body.contains("href=\"/voices/\(voiceID)#v\(voiceID)\""))
            #expect(stillThere.status == .ok)
            #expect(notHers.status == .notFound)
            #expect(confirmed.status == .ok)
            #expect(gone.status == .notFound)
        }
    }

    /// A saved choice says it was saved (the redirect's `?saved=1` and `?policy=saved` were never read), and the
    /// pledge total on /pledges updates live like the home page's.
    @Test func savedChoicesSaySoAndThePledgeTotalIsLive() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("me too").1)
            // act
            let settings = try await ana.post(
                "/account/settings", [("display_name", "Ana"), ("language", ""), ("country", ""), ("default_reply_policy", "everyone")])
            let settingsPage = try await ana.get(settings.location ?? "/")
            let policy = try await ana.post("/voices/\(voiceID)/reply-policy", [("reply_policy", "believe_only")])
            let thread = try await ana.get(policy.location ?? "/")
            let pledges = try await ana.get("/pledges")
            // check
            #expect(settings.location == "/account?saved=1")
            #expect(settingsPage.body.contains("Saved. Your settings are in place."))
            #expect(thread.body.contains("Saved. Replies now follow your choice."))
            #expect(pledges.body.contains("data-live=\"magnitude\""))
            #expect(pledges.body.contains("/static/magnitude.js"))
        }
    }

    @Test func textIsStoredAsTypedAndEscapedOnOutput() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let (_, id) = try await ana.sayMeToo("<script>alert(1)</script> #MeToo", warning: "<b>cw</b>")
            let page = try await ana.get("/voices/\(try #require(id))")
            // check
            #expect(!page.body.contains("<script>alert(1)</script>"))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.body.contains("&lt;b&gt;cw&lt;/b&gt;"))
            #expect(page.body.contains("href=\"/tags/metoo\""))
        }
    }

    @Test func pledgesAreCountedListedAndSuggested() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var carl = Browser(client)
            try await carl.signUp("carl")
            // act
            let form = try await carl.get("/pledges")
            let made = try await carl.post("/pledges", [("text", "I will believe survivors. #IWill"), ("visibility", "public")])
            let empty = try await carl.post("/pledges", [("text", ""), ("visibility", "public")])
            let list = try await {
                var visitor = Browser(client); return try await visitor.get("/pledges")
            }()
            // check
            #expect(form.body.contains("I will speak up when I hear a rape joke."))
            #expect(made.status == .seeOther)
            #expect(empty.status == .unprocessableContent)
            #expect(list.body.contains("I will believe survivors."))
            // One pledge is below the published minimum: the page says so, as the home page and the API do.
            #expect(list.body.contains("data-count=\"pledge\">fewer than 10<"))
            #expect(!list.body.contains("data-count=\"pledge\">1<"))
        }
    }

    @Test func hashtagPagesRecogniseTheTagsOf2017InEveryLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            try await ana.sayMeToo("A mí también. #YoTambién")
            try await ana.sayMeToo("#BalanceTonPorc #MoiAussi")
            let spanish = try await ana.get("/tags/yotambien")
            let accented = try await ana.get("/tags/YoTambi%C3%A9n")
            let french = try await ana.get("/tags/balancetonporc")
            let invalid = try await ana.get("/tags/%3Cscript%3E")
            // check
            #expect(spanish.body.contains("A mí también."))
            #expect(accented.body.contains("A mí también."))
            #expect(french.body.contains("#BalanceTonPorc"))
            #expect(invalid.status == .notFound)
        }
    }

    @Test func profileShowsPublicVoicesOnly() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.sayMeToo("public story")
            try await ana.sayMeToo("anonymous story", visibility: "anonymous")
            try await ana.sayMeToo("journal story", visibility: "only_me")
            // act
            let profile = try await {
                var visitor = Browser(client); return try await visitor.get("/@ana")
            }()
            let journal = try await ana.get("/journal")
            let missing = try await ana.get("/@nobody_here")
            // check
            #expect(profile.body.contains("public story"))
            #expect(!profile.body.contains("anonymous story"))
            #expect(!profile.body.contains("journal story"))
            #expect(journal.body.contains("journal story"))
            #expect(journal.body.contains("anonymous story"))
            #expect(missing.status == .notFound)
        }
    }

    @Test func exportHoldsEveryVoiceAndDeletionCanKeepVoicesAnonymously() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, story) = try await ana.sayMeToo("kept story")
            try await ana.sayMeToo("private", visibility: "only_me")
            var bea = Browser(client)
            try await bea.signUp("bea")
            try await bea.post("/voices/\(try #require(story))/believe", [])
            // act
            let export = try await ana.get("/account/export")
            let json = try JSONSerialization.jsonObject(with: Data(export.body.utf8)) as? [String: Any]
            let deleted = try await ana.post("/account/delete", [("voices", "keep_anonymously"), ("password", "correct horse battery")])
            let home = try await {
                var visitor = Browser(client); return try await visitor.get("/voices")
            }()
            let profile = try await {
                var visitor = Browser(client); return try await visitor.get("/@ana")
            }()
            // check
            #expect(export.headers[.contentDisposition]?.contains("attachment") == true)
            #expect((json?["voices"] as? [Any])?.count == 2)
            #expect((json?["voices"] as? [[String: Any]])?.first?["state"] as? String == "visible")
            // what she was told, and where she is signed in, without who told her or any device
            let notifications = json?["notifications"] as? [[String: Any]]
            #expect(notifications?.map { $0["type"] as? String } == ["favourite"])
            #expect(notifications?.first?["voiceID"] as? String == story)
            #expect(notifications?.first?.keys.contains { $0.lowercased().contains("account") || $0 == "from" } == false)
            #expect((json?["sessions"] as? [Any])?.count == 1)
            #expect((json?["apps"] as? [Any])?.isEmpty == true)
            #expect(deleted.status == .ok)
            #expect(home.body.contains("kept story"))
            #expect(home.body.contains("someone"))
            #expect(profile.status == .notFound)
        }
    }

    @Test func deletingTheAccountCanEraseEverything() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.sayMeToo("erase me")
            // act
            let wrong = try await ana.post("/account/delete", [("voices", "erase"), ("password", "wrong password")])
            let deleted = try await ana.post("/account/delete", [("voices", "erase"), ("password", "correct horse battery")])
            let home = try await {
                var visitor = Browser(client); return try await visitor.get("/")
            }()
            var again = Browser(client)
            let reuse = try await again.signUp("ana")
            // check
            #expect(wrong.status == .unauthorized)
            #expect(deleted.status == .ok)
            #expect(!home.body.contains("erase me"))
            #expect(home.body.contains("data-count=\"metoo\">fewer than 10<"))
            #expect(reuse.status == .created)
        }
    }
}
