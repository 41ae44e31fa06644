import ChorusCore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The public transparency page: exact counts per month, action and rule, and nothing about anyone.
@Suite(.serialized) struct TransparencyTests {
    static func count(in html: String, month: String, action: String, rule: Int) -> Int? {
        let marker = "data-month=\"\(month)\" data-action=\"\(action)\" data-rule=\"\(rule)\">"
        guard let start = html.range(of: marker) else { return nil }
        let rest = html[start.upperBound...]
        guard let match = rest.firstMatch(of: /<td class="count">(\d+)<\/td>/) else { return nil }
        return Int(match.1)
    }

    @Test func transparencyCountsEachActionPerMonthAndRuleWithoutNamesOrWords() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            var quill = Browser(client)
            try await quill.signUp("writer_quill")
            var voices: [String] = []
            for index in 1...4 { voices.append(try #require(try await quill.sayMeToo("distinctive text number \(index)").1)) }
            var zed = Browser(client)
            try await zed.signUp("reporter_zed")
            for voice in voices { try await zed.post("/report", [("voice", voice), ("category", "spam"), ("note", "secret note")]) }
            let held = try #require(try await zed.reply(to: voices[0], "Pics or it didn't happen.").1)
            var mod = Browser(client)
            try await mod.signUp("moderator_mae")
            try await chorus.makeModerator("moderator_mae")
            // act
            for (index, action) in ["hide", "hide", "dismiss", "hide"].enumerated() {
                let queue = try await mod.get("/moderation")
                let reportID = try #require(Browser.id(after: "/moderation/reports/", in: queue.body))
                try await mod.decide(
                    "/moderation/reports/\(reportID)", action: action, rule: index == 3 ? "3" : "1", reason: "private reason \(index)")
            }
            try await mod.decide("/moderation/voices/\(held)", action: "reject", rule: "1", reason: "private reason held")
            let decisions = try await quill.get("/account/moderation")
            let actionID = try #require(Browser.id(after: "/account/moderation/", in: decisions.body))
            try await quill.post("/account/moderation/\(actionID)/appeal", [("text", "private appeal")])
            try await mod.post("/moderation/appeals/\(actionID)", [("decision", "grant"), ("reason", "private appeal reason")])
            let page = try await visit(client, "/transparency")
            // check
            let month = ModerationMonth.of(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            #expect(page.status == .ok)
            #expect(Self.count(in: page.body, month: month, action: "hide", rule: 1) == 2)
            #expect(Self.count(in: page.body, month: month, action: "dismiss", rule: 1) == 1)
            #expect(Self.count(in: page.body, month: month, action: "hide", rule: 3) == 1)
            #expect(Self.count(in: page.body, month: month, action: "reject", rule: 1) == 1)
            #expect(Self.count(in: page.body, month: month, action: "appeal_granted", rule: 3) == 1)
            #expect(Self.count(in: page.body, month: month, action: "suspend", rule: 1) == nil)
            for secret in [
                "writer_quill", "reporter_zed", "moderator_mae", "distinctive text", "secret note", "private reason", "private appeal", "Pics or it",
            ] {
                #expect(!page.body.contains(secret))
            }
        }
    }
}
