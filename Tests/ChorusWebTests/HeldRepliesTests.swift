import ChorusCore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Replies the reply guard holds: their writer sees why at once and may rewrite or withdraw; moderators approve or
/// reject; the survivor may look behind a warning; nobody else ever sees them.
@Suite(.serialized) struct HeldRepliesTests {
    /// One reply of each harmful kind, as the guard labels it.
    static let harmful: [(label: String, text: String)] = [
        ("blaming", "Well, what did you expect going to his hotel room at night?"),
        ("disbelief", "Pics or it didn't happen."),
        ("why_question", "Why didn't you report it to the police?"),
        ("minimizing", "It was just a joke, calm down."),
        ("hostile", "Shut up, nobody cares about your sob story."),
    ]

    @Test(arguments: harmful.map(\.label))
    func heldReplyShowsItsKindAndGuidanceAndARewriteMakesItVisible(label: String) async throws {
        // setup
        let text = try #require(Self.harmful.first { $0.label == label }?.text)
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("It was my manager. #MeToo").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            var carl = Browser(client)
            try await carl.signUp("carl")
            // act
            let (held, replyID) = try await bea.reply(to: rootID, text)
            let heldID = try #require(replyID)
            let seenByAna = try await ana.get("/voices/\(rootID)")
            let seenByCarl = try await carl.get("/voices/\(rootID)")
            let rewriteForm = try await bea.get("/voices/\(heldID)/rewrite")
            let rewritten = try await bea.post("/voices/\(heldID)/rewrite", [("text", "I believe you. It's not your fault.")])
            let after = try await carl.get("/voices/\(rootID)")
            // check
            let label = try #require(ReplyLabel(rawValue: label))
            #expect(held.status == .accepted)
            #expect(held.body.contains("data-guard-label=\"\(label.rawValue)\""))
            #expect(held.body.contains(escapedHTML(ReplyGuidance.explanation(for: label, language: "en"))))
            #expect(held.body.contains(escapedHTML(ReplyGuidance.supporterTips(language: "en")[1])))
            #expect(held.body.contains("<details class=\"tips\">"))  // the same tips above the form, folded: not twice open
            #expect(seenByCarl.body.contains("<details class=\"tips\" open>"))
            #expect(held.body.contains("/voices/\(heldID)/rewrite"))
            #expect(!seenByAna.body.contains(escapedHTML(text)))
            #expect(seenByAna.body.contains("1 reply is waiting for review — view it (it may be hurtful)"))
            #expect(!seenByCarl.body.contains(escapedHTML(text)))
            #expect(!seenByCarl.body.contains("waiting for review"))
            #expect(rewriteForm.status == .ok)
            #expect(rewriteForm.body.contains(escapedHTML(text)))
            #expect(rewritten.status == .seeOther)
            #expect(rewritten.location == "/voices/\(rootID)?said=\(heldID)#v\(heldID)")
            #expect(after.body.contains("It&#39;s not your fault."))
            #expect(after.body.contains("Open (1)"))
        }
    }

    /// Every label also goes the other way: a moderator approves or rejects it with a rule and a reason.
    @Test(arguments: zip(harmful.map(\.label), ["approve", "reject", "approve", "reject", "reject"]))
    func moderatorApprovesOrRejectsAHeldReply(label: String, decision: String) async throws {
        // setup
        let text = try #require(Self.harmful.first { $0.label == label }?.text)
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            let heldID = try #require(try await bea.reply(to: rootID, text).1)
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            // act
            let queue = try await mod.get("/moderation")
            let decided = try await mod.decide("/moderation/voices/\(heldID)", action: decision, rule: "1", reason: "Reviewed against rule 1.")
            let again = try await mod.decide("/moderation/voices/\(heldID)", action: decision)
            let thread = try await visit(client, "/voices/\(rootID)")
            let writerView = try await bea.get("/account/moderation")
            // check
            #expect(queue.body.contains(escapedHTML(text)))
            #expect(queue.body.contains("The voice it answers"))
            #expect(queue.body.contains("/moderation/voices/\(heldID)"))
            #expect(decided.status == .seeOther)
            #expect(again.status == .conflict)
            if decision == "approve" {
                #expect(thread.body.contains(escapedHTML(text)))
                #expect(thread.body.contains("Open (1)"))
            } else {
                #expect(!thread.body.contains(escapedHTML(text)))
                #expect(writerView.body.contains("A moderator decided one of your replies stays hidden."))
                #expect(writerView.body.contains("Reviewed against rule 1."))
            }
        }
    }

    @Test func aRewriteThatStillHurtsKeepsWaitingWithNewGuidance() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            let heldID = try #require(try await bea.reply(to: rootID, "Pics or it didn't happen.").1)
            // act
            let rewritten = try await bea.post("/voices/\(heldID)/rewrite", [("text", "Why didn't you report it to the police?")])
            let empty = try await bea.post("/voices/\(heldID)/rewrite", [("text", "  ")])
            let byOther = try await ana.post("/voices/\(heldID)/rewrite", [("text", "I believe you")])
            // check
            #expect(rewritten.status == .accepted)
            #expect(rewritten.body.contains("data-guard-label=\"why_question\""))
            #expect(empty.status == .unprocessableContent)
            #expect(byOther.status == .notFound)
        }
    }

    /// A rewrite that says its writer is in danger now brings them help at once, shown or still held, as a new reply does.
    @Test func aRewriteThatSaysTheWriterIsInDangerBringsHelp() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            let first = try #require(try await bea.reply(to: rootID, "Pics or it didn't happen.").1)
            let second = try #require(try await bea.reply(to: rootID, "Why didn't you report it to the police?").1)
            // act
            let shown = try await bea.post("/voices/\(first)/rewrite", [("text", "I believe you. Reading this, I don't want to be alive anymore.")])
            let thread = try await bea.get(shown.location ?? "/")
            let stillHeld = try await bea.post(
                "/voices/\(second)/rewrite", [("text", "Why didn't you report him? Anyway I can't go on, I have the pills here.")])
            let calm = try await bea.get("/voices/\(rootID)")
            // check
            #expect(shown.location == "/voices/\(rootID)?said=\(first)#v\(first)")
            #expect(thread.body.contains("You deserve to be safe right now"))
            #expect(stillHeld.status == .accepted)
            #expect(stillHeld.body.contains("You deserve to be safe right now"))
            #expect(!calm.body.contains("You deserve to be safe right now"))
        }
    }

    @Test func withdrawingAHeldReplyRemovesIt() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            let heldID = try #require(try await bea.reply(to: rootID, "You put yourself in that situation.").1)
            // act
            let withdrawn = try await bea.post("/voices/\(heldID)/delete", [("confirmed", "yes")])
            let own = try await bea.get("/voices/\(rootID)")
            let survivor = try await ana.get("/voices/\(rootID)")
            // check
            #expect(withdrawn.status == .ok)
            #expect(!own.body.contains("You put yourself in that situation."))
            #expect(!survivor.body.contains("waiting for review"))
        }
    }

    @Test func survivorSeesHeldRepliesOnlyAfterAWarningAndNobodyElseCan() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            _ = try await bea.reply(to: rootID, "This sounds made up.")
            _ = try await bea.reply(to: rootID, "Maybe don't get that drunk next time.")
            var carl = Browser(client)
            try await carl.signUp("carl")
            // act
            let thread = try await ana.get("/voices/\(rootID)")
            let warning = try await ana.get("/voices/\(rootID)/held")
            let shown = try await ana.get("/voices/\(rootID)/held?show=1")
            let other = try await carl.get("/voices/\(rootID)/held?show=1")
            let writer = try await bea.get("/voices/\(rootID)/held?show=1")
            let blockPath = try #require(shown.body.firstMatch(of: /action="(\/voices\/\d+\/block-author)"/).map { String($0.1) })
            let blocked = try await ana.post(blockPath, [])
            let reportPath = try #require(shown.body.firstMatch(of: /href="(\/report\?voice=\d+)"/).map { String($0.1) })
            let reportForm = try await ana.get(reportPath)
            let writerAfterBlock = try await bea.get("/voices/\(rootID)")
            // check
            #expect(thread.body.contains("2 replies are waiting for review — view them (they may be hurtful)"))
            #expect(thread.body.contains("href=\"/voices/\(rootID)/held\""))
            #expect(warning.body.contains("You don&#39;t have to read them."))
            #expect(!warning.body.contains("This sounds made up."))
            #expect(shown.body.contains("This sounds made up."))
            #expect(shown.body.contains("Maybe don&#39;t get that drunk next time."))
            #expect(other.status == .notFound)
            #expect(writer.status == .notFound)
            #expect(!shown.body.contains("Only you can see this reply"))
            #expect(blocked.status == .seeOther)
            #expect(reportForm.body.contains("You are reporting a reply."))
            #expect(writerAfterBlock.status == .notFound)
        }
    }

    @Test func guidanceIsInTheWritersLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let rootID = try #require(try await ana.sayMeToo("me too").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            try await bea.post("/account/settings", [("language", "es")])
            // act
            let (held, _) = try await bea.reply(to: rootID, "¿Por qué no lo denunciaste a la policía?")
            // check
            #expect(held.status == .accepted)
            #expect(held.body.contains(escapedHTML(ReplyGuidance.explanation(for: .whyQuestion, language: "es"))))
            #expect(held.body.contains("Reescribir esta respuesta"))
        }
    }
}
