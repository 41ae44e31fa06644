import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The moderators' queue and its six actions, each resting on a rule and a reason.
@Suite(.serialized) struct ModerationActionsTests {
    /// A survivor's voice reported by someone, a held reply, and a moderator.
    struct Scene {
        var ana: Browser
        var bea: Browser
        var bob: Browser
        var mod: Browser
        let voiceID: String
        let heldID: String
    }

    static func scene(_ client: any TestClientProtocol, _ chorus: ModeratedChorus) async throws -> Scene {
        var ana = Browser(client)
        try await ana.signUp("ana")
        let voiceID = try #require(try await ana.sayMeToo("a voice someone reported").1)
        var bea = Browser(client)
        try await bea.signUp("bea")
        try await bea.post("/report", [("voice", voiceID), ("category", "spam"), ("note", "looks like an advert")])
        var bob = Browser(client)
        try await bob.signUp("bob")
        let heldID = try #require(try await bob.reply(to: voiceID, "Why didn't you just leave?").1)
        var mod = Browser(client)
        try await mod.signUp("mod")
        try await chorus.makeModerator("mod")
        return Scene(ana: ana, bea: bea, bob: bob, mod: mod, voiceID: voiceID, heldID: heldID)
    }

    @Test(arguments: ["hide", "suspend", "dismiss", "approve", "reject", "restore"])
    func everyActionNeedsARuleAndAReason(action: String) async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var scene = try await Self.scene(client, chorus)
            let queue = try await scene.mod.get("/moderation")
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: queue.body))
            var path: String
            switch action {
            case "approve", "reject": path = "/moderation/voices/\(scene.heldID)"
            case "restore":
                try await scene.mod.decide("/moderation/reports/\(reportID)", action: "hide")
                let recent = try await scene.mod.get("/moderation")
                path = "/moderation/actions/\(try #require(Browser.id(after: "/moderation/actions/", in: recent.body)))/restore"
            default: path = "/moderation/reports/\(reportID)"
            }
            // act
            let noRule = try await scene.mod.decide(path, action: action, rule: nil)
            let noReason = try await scene.mod.decide(path, action: action, reason: "   ")
            let unknownRule = try await scene.mod.decide(path, action: action, rule: "99")
            let done = try await scene.mod.decide(path, action: action, rule: "3", reason: "Checked against rule 3.")
            // check
            #expect(noRule.status == .unprocessableContent)
            #expect(noRule.body.contains("Choose the rule this decision rests on"))
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains("Write a short reason."))
            #expect(unknownRule.status == .unprocessableContent)
            #expect(unknownRule.body.contains("There is no rule 99."))
            #expect(done.status == .seeOther)
            let visitor = try await visit(client, "/voices/\(scene.voiceID)")
            switch action {
            case "hide": #expect(visitor.status == .notFound)
            case "suspend":
                #expect(visitor.status == .notFound)
                #expect(try await scene.ana.get("/say").status == .seeOther)
            case "dismiss", "restore": #expect(visitor.body.contains("a voice someone reported"))
            case "approve": #expect(visitor.body.contains("Why didn&#39;t you just leave?"))
            default: #expect(!visitor.body.contains("Why didn&#39;t you just leave?"))
            }
            let after = try await scene.mod.get("/moderation")
            if ["hide", "suspend", "dismiss"].contains(action) { #expect(!after.body.contains("/moderation/reports/\(reportID)")) }
        }
    }

    /// What a moderator decides does not depend on their own blocks and mutes, nor is it about them; a reporter hears
    /// of a decision undone; a reply whose writer the survivor blocked stays kept apart once approved.
    @Test func decisionsStandApartFromTheModeratorsOwnBoundaries() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var scene = try await Self.scene(client, chorus)
            try await scene.ana.post("/@mod/block", [])
            try await scene.mod.post("/@ana/mute", [])
            try await scene.ana.post("/@bob/block", [])
            let ownVoice = try #require(try await scene.mod.sayMeToo("the moderator's own voice").1)
            try await scene.bea.post("/report", [("voice", ownVoice), ("category", "spam"), ("note", "")])
            // act
            let queue = try await scene.mod.get("/moderation")
            let reportIDs = queue.body.matches(of: /\/moderation\/reports\/(\d+)/).map { String($0.1) }
            let approved = try await scene.mod.decide("/moderation/voices/\(scene.heldID)", action: "approve", rule: "3", reason: "Fine.")
            let survivorsReport = try #require(reportIDs.first)
            let ownReport = try #require(reportIDs.last)
            let aboutThemselves = try await scene.mod.decide("/moderation/reports/\(ownReport)", action: "dismiss", rule: "3", reason: "Mine.")
            let unknown = try await scene.mod.decide("/moderation/reports/1234567", action: "dismiss")
            try await scene.mod.decide("/moderation/reports/\(survivorsReport)", action: "hide", rule: "3", reason: "Advertising.")
            let actionID = try #require(Browser.id(after: "/moderation/actions/", in: try await scene.mod.get("/moderation").body))
            try await scene.mod.decide("/moderation/actions/\(actionID)/restore", action: nil, rule: "3", reason: "Not an advert after all.")
            let told = try await scene.bea.get("/account/reports")
            let thread = try await visit(client, "/voices/\(scene.voiceID)")
            // check: the report on the survivor's voice is there to decide, with its voice, despite the block and mute
            #expect(reportIDs.count == 2)
            #expect(queue.body.contains("a voice someone reported"))
            #expect(!queue.body.contains("deleted by its writer"))
            #expect(approved.status == .seeOther)
            #expect(!thread.body.contains("Why didn&#39;t you just leave?"))
            #expect(aboutThemselves.status == .forbidden)
            #expect(aboutThemselves.body.contains("another moderator decides it"))
            #expect(unknown.status == .notFound)
            #expect(told.body.contains("Later, a moderator looked again and undid the decision."))
            #expect(told.body.contains("class=\"report new\""))
        }
    }

    /// A suspension never takes away a person's own data: they can still download it and delete their account.
    @Test func aSuspendedPersonCanStillExportTheirDataAndDeleteTheirAccount() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var scene = try await Self.scene(client, chorus)
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: try await scene.mod.get("/moderation").body))
            try await scene.mod.decide("/moderation/reports/\(reportID)", action: "suspend", rule: "3", reason: "Advertising.")
            // act
            let page = try await scene.ana.get("/account/moderation")
            let export = try await scene.ana.get("/account/export")
            let wrongPassword = try await scene.ana.post("/account/delete", [("voices", "erase"), ("password", "not it")])
            let deleted = try await scene.ana.post("/account/delete", [("voices", "erase"), ("password", "correct horse battery")])
            var again = Browser(client)
            let signIn = try await again.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            // check
            #expect(page.body.contains("href=\"/account/export\""))
            #expect(page.body.contains("action=\"/account/delete\""))
            #expect(export.status == .ok)
            #expect(export.body.contains("a voice someone reported"))
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.body.contains("href=\"/account/moderation\""))
            #expect(deleted.status == .ok)
            #expect(signIn.status != .seeOther)
        }
    }

    @Test func aRuleNumberThatIsNoRulesIsRefusedAndTheAPIListsTheRulesOfThePage() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            let before = try await mod.get("/rules")
            // act
            let typo = try await mod.post("/rules", [("number", "2a"), ("text", "A rule written by mistake.")])
            let after = try await mod.get("/rules")
            let api = try await client.execute(uri: "/api/v1/instance/rules", method: .get)
            // check
            #expect(typo.status == .unprocessableContent)
            #expect(typo.body.contains("There is no rule 2a."))
            #expect(after.body == before.body)
            let rules = try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [[String: Any]]
            let first = try #require(rules?.first)
            #expect(first["id"] as? String == "1")
            #expect(after.body.contains(escapedHTML(try #require(first["text"] as? String))))
        }
    }

    @Test func hiddenVoiceIsSeenByItsWriterOnlyUntilRestored() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var scene = try await Self.scene(client, chorus)
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: try await scene.mod.get("/moderation").body))
            // act
            try await scene.mod.decide("/moderation/reports/\(reportID)", action: "hide", rule: "3", reason: "Advertising.")
            let hiddenForVisitor = try await visit(client, "/voices/\(scene.voiceID)")
            let hiddenForWriter = try await scene.ana.get("/voices/\(scene.voiceID)")
            let actionID = try #require(Browser.id(after: "/moderation/actions/", in: try await scene.mod.get("/moderation").body))
            let restored = try await scene.mod.decide(
                "/moderation/actions/\(actionID)/restore", action: nil, rule: "3", reason: "Not an advert after all.")
            let back = try await visit(client, "/voices/\(scene.voiceID)")
            // check
            #expect(hiddenForVisitor.status == .notFound)
            #expect(hiddenForWriter.status == .ok)
            #expect(restored.status == .seeOther)
            #expect(back.status == .ok)
        }
    }

    @Test func suspendingTheAuthorOfAnAnonymousVoiceIsQuietNamesNobodyAndTellsThem() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var bob = Browser(client)
            try await bob.signUp("bob_hidden")
            let anonymous = try #require(try await bob.sayMeToo("threatening words, anonymously", visibility: "anonymous").1)
            _ = try await bob.sayMeToo("bob's public voice")
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/report", [("voice", anonymous), ("category", "threat"), ("note", "")])
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            // act
            let queue = try await mod.get("/moderation")
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: queue.body))
            let suspended = try await mod.decide("/moderation/reports/\(reportID)", action: "suspend", rule: "2", reason: "A threat.")
            let after = try await mod.get("/moderation")
            let blockedFromPosting = try await bob.post("/say", [("text", "more"), ("visibility", "public")])
            let anyPage = try await bob.get("/voices")
            try await bob.post("/signout", [])
            let signIn = try await bob.post("/signin", [("handle", "bob_hidden"), ("password", "correct horse battery")])
            let told = try await bob.get("/account/moderation")
            let stillBlocked = try await bob.get("/say")
            let home = try await visit(client, "/")
            let profile = try await visit(client, "/@bob_hidden")
            let anonymousPage = try await visit(client, "/voices/\(anonymous)")
            // check
            #expect(queue.body.contains("Suspend this voice&#39;s author (they stay unnamed)"))
            #expect(!queue.body.contains("bob_hidden"))
            #expect(suspended.status == .seeOther)
            #expect(!after.body.contains("bob_hidden"))
            #expect(blockedFromPosting.status == .seeOther)
            #expect(blockedFromPosting.location?.hasPrefix("/signin") == true)
            #expect(anyPage.body.contains("Your account is suspended, so you can&#39;t post for now."))
            #expect(signIn.location == "/account/moderation")
            #expect(told.body.contains("A moderator suspended your account."))
            #expect(told.body.contains("A threat."))
            #expect(told.body.contains("2. No harassment, threats or sexualised remarks."))
            #expect(stillBlocked.status == .seeOther)
            // the suspension can't tie the anonymous voice to bob: his public self looks as it did, only the voice goes
            #expect(home.body.contains("bob&#39;s public voice"))
            #expect(profile.status == .ok && profile.body.contains("bob&#39;s public voice"))
            #expect(!home.body.contains("threatening words"))
            #expect(anonymousPage.status == .notFound)
        }
    }

    @Test func onlyModeratorsOpenTheQueueOrEditTheRules() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            // act
            let queue = try await ana.get("/moderation")
            let edit = try await ana.post("/rules", [("number", "1"), ("text", "anything goes")])
            let act = try await ana.post("/moderation/voices/1", [("action", "hide"), ("rule", "1"), ("reason", "x")])
            let changed = try await mod.post("/rules", [("number", "3"), ("text", "No spam, no advertising, no chain letters.")])
            let added = try await mod.post("/rules", [("text", "Content warnings on graphic stories.")])
            let empty = try await mod.post("/rules", [("text", " ")])
            let rules = try await visit(client, "/rules")
            // check
            #expect(queue.status == .forbidden)
            #expect(edit.status == .forbidden)
            #expect(act.status == .forbidden)
            #expect(changed.status == .seeOther)
            #expect(added.status == .seeOther)
            #expect(empty.status == .unprocessableContent)
            #expect(rules.body.contains("Believe survivors: no blaming, doubting or interrogating."))
            #expect(rules.body.contains("No spam, no advertising, no chain letters."))
            #expect(rules.body.contains("<li value=\"7\" id=\"rule-7\">Content warnings on graphic stories.</li>"))
            #expect(!rules.body.contains("anything goes"))
        }
    }
}
