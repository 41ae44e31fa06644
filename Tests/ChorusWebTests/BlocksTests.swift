import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Blocks keep two people apart; mutes quiet someone for one person. Neither ever reveals who wrote an anonymous voice.
@Suite(.serialized) struct BlocksTests {
    @Test func blockedPersonCannotReplyOrBelieveAndNeitherSeesTheOther() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let anaVoice = try #require(try await ana.sayMeToo("ana's story").1)
            var bob = Browser(client)
            try await bob.signUp("bob")
            let bobVoice = try #require(try await bob.sayMeToo("bob's words").1)
            // act
            let blocked = try await ana.post("/@bob/block", [])
            let reply = try await bob.post("/voices/\(anaVoice)/reply", [("text", "I believe you")])
            let belief = try await bob.post("/voices/\(anaVoice)/believe", [])
            let bobsHome = try await bob.get("/")
            let anasHome = try await ana.get("/")
            let anasViewOfBob = try await ana.get("/voices/\(bobVoice)")
            let list = try await ana.get("/account/blocks")
            let visitor = try await visit(client, "/")
            // check
            #expect(blocked.status == .seeOther)
            #expect(reply.status == .notFound)
            #expect(belief.status == .notFound)
            #expect(!bobsHome.body.contains("ana&#39;s story"))
            #expect(!anasHome.body.contains("bob&#39;s words"))
            #expect(anasViewOfBob.status == .notFound)
            #expect(list.body.contains("@bob"))
            #expect(visitor.body.contains("ana&#39;s story") && visitor.body.contains("bob&#39;s words"))
        }
    }

    /// A person blocked on a profile is kept apart in the whole of the blocker's public thread: a reply to someone
    /// else's reply there is kept for its writer alone, as a direct reply is.
    @Test func aBlockedPersonsReplyToAnotherReplyInTheBlockersThreadIsKeptApart() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let anaVoice = try #require(try await ana.sayMeToo("ana's story").1)
            var cal = Browser(client)
            try await cal.signUp("cal")
            let (_, friendReply) = try await cal.reply(to: anaVoice, "I believe you, Ana.")
            var bob = Browser(client)
            try await bob.signUp("bob")
            try await ana.post("/@bob/block", [])
            // act
            let sent = try await bob.post("/voices/\(try #require(friendReply))/reply", [("text", "Hello again, I am still here.")])
            let visitor = try await visit(client, "/voices/\(anaVoice)")
            let friend = try await cal.get("/voices/\(anaVoice)")
            // check
            #expect(sent.status == .seeOther)
            #expect(!visitor.body.contains("Hello again"))
            #expect(!friend.body.contains("Hello again"))
        }
    }

    /// A block made from an anonymous voice changes nothing its author meets under their own name: if it did, the
    /// blocker could tell which account wrote the voice.
    @Test func aBlockFromAnAnonymousVoiceLeavesItsAuthorsNamedAccountAsBefore() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var bob = Browser(client)
            try await bob.signUp("bob")
            let anonymous = try #require(try await bob.sayMeToo("an anonymous voice", visibility: "anonymous").1)
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/voices/\(anonymous)/block-author", [])
            let anaVoice = try #require(try await ana.sayMeToo("ana in public").1)
            // act
            let seen = try await bob.get("/voices/\(anaVoice)")
            let believed = try await bob.post("/voices/\(anaVoice)/believe", [])
            let replied = try await bob.post("/voices/\(anaVoice)/reply", [("text", "I believe you.")])
            let visitor = try await visit(client, "/voices/\(anaVoice)")
            // check
            #expect(seen.status == .ok)
            #expect(believed.status == .seeOther)
            #expect(replied.status == .seeOther)
            #expect(visitor.body.contains("1 person believes you"))
            #expect(visitor.body.contains("I believe you."))
        }
    }

    @Test func blockingAnAnonymousVoicesAuthorNeverRevealsWhoItIs() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var bob = Browser(client)
            try await bob.signUp("bob")
            let anonymous = try #require(try await bob.sayMeToo("an anonymous voice", visibility: "anonymous").1)
            let another = try #require(try await bob.sayMeToo("another anonymous voice", visibility: "anonymous").1)
            _ = try await bob.sayMeToo("bob in public")
            // act
            let thread = try await ana.get("/voices/\(anonymous)")
            let blocked = try await ana.post("/voices/\(anonymous)/block-author", [])
            let told = try await ana.get(blocked.location ?? "/account/blocks")
            let list = try await ana.get("/account/blocks")
            let export = try await ana.get("/account/export")
            let home = try await ana.get("/")
            let gone = try await ana.get("/voices/\(anonymous)")
            let otherVoice = try await ana.get("/voices/\(another)")
            let removed = try await ana.post("/account/blocks/remove", [("kind", "block"), ("voice", anonymous)])
            let back = try await ana.get("/voices/\(anonymous)")
            // check
            #expect(thread.body.contains("Block this voice&#39;s author: this voice is hidden from you (you won&#39;t learn who wrote it)"))
            #expect(!thread.body.contains("bob"))
            #expect(blocked.status == .seeOther)
            #expect(told.body.contains("This voice is hidden from you. Its writer is not told."), "the notice promises what was done, no more")
            #expect(list.body.contains("The author of an anonymous voice"))
            #expect(!list.body.contains("bob"))
            #expect(export.body.contains("\"viaVoiceID\" : \"\(anonymous)\""))
            #expect(!export.body.contains("bob"))
            #expect(!home.body.contains("an anonymous voice"))
            #expect(home.body.contains("bob in public"))
            #expect(home.body.contains("another anonymous voice"))
            #expect(gone.status == .notFound)
            #expect(otherVoice.status == .ok)
            #expect(removed.status == .seeOther)
            #expect(back.status == .ok)
        }
    }

    /// Someone who deleted their account and kept their voices anonymously: muting or blocking the author of one of
    /// those voices works as on any anonymous voice (refused, it marked the voices a deleted account had kept).
    @Test func blockingTheAuthorOfAVoiceKeptAnonymouslyWorksAsOnAnyOther() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var eve = Browser(client)
            try await eve.signUp("eve")
            let kept = try #require(try await eve.sayMeToo("a story kept after I leave", visibility: "anonymous").1)
            var dan = Browser(client)
            try await dan.signUp("dan")
            let other = try #require(try await dan.sayMeToo("an anonymous story", visibility: "anonymous").1)
            try await eve.post("/account/delete", [("voices", "keep_anonymously"), ("password", "correct horse battery")])
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let mutedKept = try await ana.post("/voices/\(kept)/mute-author", [])
            let blockedKept = try await ana.post("/voices/\(kept)/block-author", [])
            let mutedOther = try await ana.post("/voices/\(other)/mute-author", [])
            let list = try await ana.get("/account/blocks")
            // check
            #expect(mutedKept.status == mutedOther.status)
            #expect(blockedKept.status == .seeOther)
            #expect(list.body.matches(of: /The author of an anonymous voice/).count >= 2)
        }
    }

    @Test func repliesAndBeliefsFromABlockedPersonOnTheBlockersAnonymousVoiceReadAsAnyonesButNeverReachTheBlocker() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("told anonymously", visibility: "anonymous").1)
            var bob = Browser(client)
            try await bob.signUp("bob")
            try await ana.post("/@bob/block", [])
            // act
            let reply = try await bob.post("/voices/\(voiceID)/reply", [("text", "I believe you. You are not alone.")])
            let belief = try await bob.post("/voices/\(voiceID)/believe", [])
            let bobsView = try await bob.get("/voices/\(voiceID)")
            let anasView = try await ana.get("/voices/\(voiceID)")
            let anasNotifications = try await ana.get("/notifications")
            let visitor = try await visit(client, "/voices/\(voiceID)")
            // check
            #expect(reply.status == .seeOther)
            #expect(belief.status == .seeOther)
            #expect(bobsView.body.contains("You are not alone."))
            // Everyone else reads it as anyone's reply: otherwise Bob could learn, signed out, that Ana wrote this voice.
            #expect(visitor.body.contains("You are not alone."))
            #expect(visitor.body.contains("1 person believes you"))
            // Ana, who blocked him on his profile, neither sees his reply nor is told of either.
            #expect(!anasView.body.contains("You are not alone."))
            #expect(!anasNotifications.body.contains("bob"))
        }
    }

    @Test func mutedPersonsVoicesAndRepliesDisappearForTheMuterOnly() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let anaVoice = try #require(try await ana.sayMeToo("ana's voice").1)
            var bob = Browser(client)
            try await bob.signUp("bob")
            _ = try await bob.sayMeToo("bob's voice")
            _ = try await bob.reply(to: anaVoice, "I believe you, ana. Sending strength.")
            // act
            let muted = try await ana.post("/@bob/mute", [])
            let anasThread = try await ana.get("/voices/\(anaVoice)")
            let anasHome = try await ana.get("/")
            let bobsReplyAgain = try await bob.post("/voices/\(anaVoice)/reply", [("text", "I believe you")])
            let visitorThread = try await visit(client, "/voices/\(anaVoice)")
            let profile = try await ana.get("/@bob")
            try await ana.post("/@bob/unmute", [])
            let afterUnmute = try await ana.get("/voices/\(anaVoice)")
            // check
            #expect(muted.status == .seeOther)
            #expect(!anasThread.body.contains("Sending strength."))
            #expect(!anasHome.body.contains("bob&#39;s voice"))
            #expect(bobsReplyAgain.status == .seeOther)
            #expect(visitorThread.body.contains("Sending strength."))
            #expect(profile.body.contains("action=\"/@bob/unmute\""))
            #expect(afterUnmute.body.contains("Sending strength."))
        }
    }

    @Test func theButtonsOnAThreadPointAtTheVoiceOrReplyTheyAreNextTo() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bob = Browser(client)
            try await bob.signUp("bob")
            let replyID = try #require(try await bob.reply(to: rootID, "I believe you. You are not alone.").1)
            var carl = Browser(client)
            try await carl.signUp("carl")
            // act
            let thread = try await carl.get("/voices/\(rootID)")
            let reports = Set(thread.body.matches(of: /href="\/report\?voice=(\d+)"/).map { String($0.1) })
            let blocks = Set(thread.body.matches(of: /action="\/voices\/(\d+)\/block-author"/).map { String($0.1) })
            let believes = Set(thread.body.matches(of: /action="\/voices\/(\d+)\/believe"/).map { String($0.1) })
            let reportForm = try await carl.get("/report?voice=\(replyID)")
            let believed = try await carl.post("/voices/\(try #require(believes.first))/believe", [])
            // check
            #expect(reports == [rootID, replyID])
            #expect(blocks == [rootID, replyID])
            #expect(believes == [rootID])
            #expect(reportForm.body.contains("You are reporting a reply."))
            #expect(believed.status == .seeOther)
        }
    }
}
