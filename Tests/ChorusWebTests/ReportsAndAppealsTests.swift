import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Reports and what becomes of them: the reporter is told, and the person acted on can appeal once.
@Suite(.serialized) struct ReportsAndAppealsTests {
    @Test func reporterIsToldTheOutcomeOnTheirNextVisitAndOnTheirReportsPage() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("you all deserve it").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            // act
            let form = try await bea.get("/report?voice=\(voiceID)")
            let sent = try await bea.post("/report", [("voice", voiceID), ("category", "harassment"), ("note", "mocking survivors")])
            let waiting = try await bea.get("/account/reports")
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: try await mod.get("/moderation").body))
            try await mod.decide("/moderation/reports/\(reportID)", action: "hide", rule: "2", reason: "Mocking survivors.")
            let nextVisit = try await bea.get("/")
            let outcome = try await bea.get("/account/reports")
            let later = try await bea.get("/")
            // check
            #expect(form.body.contains("You are reporting a voice."))
            #expect(sent.status == .created)
            #expect(waiting.body.contains("Waiting for a moderator."))
            #expect(!waiting.body.contains("something you reported"))
            #expect(nextVisit.body.contains("A moderator has looked at something you reported."))
            #expect(nextVisit.body.contains("href=\"/account/reports\""))
            #expect(outcome.body.contains("A moderator hid it."))
            #expect(outcome.body.contains("2. No harassment, threats or sexualised remarks."))
            #expect(!later.body.contains("something you reported"))
        }
    }

    @Test func reportsNeedACategoryAndCoverVoicesRepliesAndAccountsOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("me too").1)
            var bob = Browser(client)
            try await bob.signUp("bob")
            let replyID = try #require(try await bob.reply(to: voiceID, "I believe you. You are not alone.").1)
            // act
            let noCategory = try await ana.post("/report", [("voice", replyID), ("note", "")])
            let reply = try await ana.post("/report", [("voice", replyID), ("category", "impersonation"), ("note", "")])
            let twice = try await ana.post("/report", [("voice", replyID), ("category", "spam"), ("note", "")])
            let account = try await ana.post("/report", [("account", "bob"), ("category", "other"), ("note", "keeps following me")])
            let own = try await ana.post("/report", [("voice", voiceID), ("category", "spam"), ("note", "")])
            let longNote = try await ana.post("/report", [("account", "bob"), ("category", "spam"), ("note", String(repeating: "a", count: 1_001))])
            let accountForm = try await ana.get("/report?account=bob")
            let list = try await ana.get("/account/reports")
            try await bob.post("/@ana/follow", [])
            let profile = try await ana.get("/@ana")
            // check
            #expect(noCategory.status == .unprocessableContent)
            #expect(noCategory.body.contains("Choose what this is about"))
            #expect(reply.status == .created)
            #expect(twice.status == .conflict)
            #expect(account.status == .created)
            #expect(own.status == .unprocessableContent)
            #expect(longNote.status == .unprocessableContent)
            #expect(accountForm.body.contains("You are reporting the account @bob"))
            #expect(list.body.contains("A reply · Impersonation"))
            #expect(list.body.contains("An account · Something else"))
            // A report sent without a note shows no empty "Your note:" line; one follower is one.
            #expect(list.body.components(separatedBy: "Your note:").count - 1 == 1)
            #expect(profile.body.contains("1 follower ·"))
        }
    }

    @Test(arguments: ["grant", "deny"])
    func personActedOnAppealsOnceAndAModeratorDecides(decision: String) async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("my story, my words").1)
            var bea = Browser(client)
            try await bea.signUp("bea")
            try await bea.post("/report", [("voice", voiceID), ("category", "spam"), ("note", "")])
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: try await mod.get("/moderation").body))
            try await mod.decide("/moderation/reports/\(reportID)", action: "hide", rule: "3", reason: "Looked like spam.")
            // act
            let notice = try await ana.get("/")
            let notifications = try await ana.get("/notifications")
            let ownHidden = try await ana.get("/voices/\(voiceID)")
            let decisions = try await ana.get("/account/moderation")
            let actionID = try #require(Browser.id(after: "/account/moderation/", in: decisions.body))
            let appealed = try await ana.post("/account/moderation/\(actionID)/appeal", [("text", "This is my own story, not an advert.")])
            let again = try await ana.post("/account/moderation/\(actionID)/appeal", [("text", "Please.")])
            let queue = try await mod.get("/moderation")
            let noReason = try await mod.post("/moderation/appeals/\(actionID)", [("decision", decision), ("reason", "")])
            let decided = try await mod.post("/moderation/appeals/\(actionID)", [("decision", decision), ("reason", "Read it again.")])
            let twice = try await mod.post("/moderation/appeals/\(actionID)", [("decision", decision), ("reason", "Again.")])
            let told = try await ana.get("/account/moderation")
            let voice = try await visit(client, "/voices/\(voiceID)")
            let reporter = try await bea.get("/account/reports")
            // check
            #expect(notice.body.contains("A moderator made a decision about something you wrote."))
            #expect(ownHidden.body.contains("Only you can see this: a moderator decided to keep it hidden."))
            #expect(notifications.body.contains("<a href=\"/account/moderation\">A moderator made a decision about something you wrote.</a>"))
            #expect(decisions.body.contains("A moderator hid one of your voices."))
            #expect(decisions.body.contains("3. No spam or advertising."))
            #expect(decisions.body.contains("Looked like spam."))
            #expect(appealed.status == .seeOther)
            #expect(again.status == .conflict)
            #expect(queue.body.contains("This is my own story, not an advert."))
            #expect(noReason.status == .unprocessableContent)
            #expect(decided.status == .seeOther)
            #expect(twice.status == .conflict)
            #expect(told.body.contains("Read it again."))
            if decision == "grant" {
                #expect(told.body.contains("Your appeal was granted: the decision was undone."))
                #expect(voice.status == .ok)
                #expect(reporter.body.contains("Later, the decision was reversed on appeal."))
            } else {
                #expect(told.body.contains("Your appeal was denied: the decision stands."))
                #expect(voice.status == .notFound)
                #expect(!reporter.body.contains("reversed on appeal"))
            }
        }
    }

    /// Ana reports Bob's account, and a moderator suspends it under rule 2: Bob's and the moderator's browsers, and the
    /// queue the moderator saw.
    static func bobSuspendedOnAnasReport(_ client: any TestClientProtocol, _ chorus: ModeratedChorus) async throws -> (
        Browser, Browser, Browser.Page
    ) {
        var bob = Browser(client)
        try await bob.signUp("bob")
        var ana = Browser(client)
        try await ana.signUp("ana")
        try await ana.post("/report", [("account", "bob"), ("category", "harassment"), ("note", "messages me everywhere")])
        var mod = Browser(client)
        try await mod.signUp("mod")
        try await chorus.makeModerator("mod")
        let queue = try await mod.get("/moderation")
        let reportID = try #require(Browser.id(after: "/moderation/reports/", in: queue.body))
        try await mod.decide("/moderation/reports/\(reportID)", action: "suspend", rule: "2", reason: "Repeated harassment.")
        return (bob, mod, queue)
    }

    @Test func suspendedPersonCanOnlyReadTheDecisionAndAppealUntilRestored() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let suspension = try await Self.bobSuspendedOnAnasReport(client, chorus)
            var bob = suspension.0
            var mod = suspension.1
            let queue = suspension.2
            // act
            let page = try await bob.get("/account/moderation")
            let say = try await bob.post("/say", [("text", "me too"), ("visibility", "public")])
            let actionID = try #require(Browser.id(after: "/account/moderation/", in: page.body))
            let appealed = try await bob.post("/account/moderation/\(actionID)/appeal", [("text", "It was a misunderstanding.")])
            try await mod.post("/moderation/appeals/\(actionID)", [("decision", "grant"), ("reason", "Resolved between them.")])
            let sayAgain = try await bob.post("/say", [("text", "me too"), ("visibility", "public")])
            // check
            #expect(queue.body.contains("@bob"))
            #expect(page.status == .ok)
            #expect(page.body.contains("Your account is suspended"))
            #expect(page.body.contains("Repeated harassment."))
            #expect(say.status == .seeOther)
            #expect(appealed.status == .seeOther)
            #expect(sayAgain.status == .created)
        }
    }

    /// A suspension a moderator lifted is shown as undone, with nothing left to appeal.
    @Test func aDecisionLiftedSinceIsShownAsUndoneWithNoAppeal() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let suspension = try await Self.bobSuspendedOnAnasReport(client, chorus)
            var bob = suspension.0
            var mod = suspension.1
            let suspended = try await bob.get("/account/moderation")
            let actionID = try #require(Browser.id(after: "/account/moderation/", in: suspended.body))
            // act
            let restored = try await mod.decide("/moderation/actions/\(actionID)/restore", action: nil, rule: "2", reason: "A mistake.")
            let page = try await bob.get("/account/moderation")
            // check
            #expect(restored.status == .seeOther)
            #expect(suspended.body.contains("/account/moderation/\(actionID)/appeal"))
            #expect(page.body.contains("This decision has since been undone"))
            #expect(!page.body.contains("/account/moderation/\(actionID)/appeal"))
            #expect(!page.body.contains("Your account is suspended"))
        }
    }
}
