import ChorusCore
import ChorusStore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A fresh Chorus whose accounts a test can make moderators (as `chorus account create --moderator` does).
struct ModeratedChorus {
    let databaseURL: String

    static func make() async throws -> (some ApplicationProtocol, ModeratedChorus) {
        var url = ""
        let app = try await makeApp { url = $0.databaseURL ?? "" }
        return (app, ModeratedChorus(databaseURL: url))
    }

    /// Opens the same database next to the running app, for what no page does (making a moderator).
    func withStore<T: Sendable>(_ body: (ChorusStore) async throws -> T) async throws -> T {
        let store = try await ChorusStore.open(try .from(databaseURL: databaseURL, dataDirectory: ""), logger: Logger(label: "test"))
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Signs up a moderator, @mod, who hides the voice of the oldest report in the queue as advertising (rule 3).
    func moderatorHidesTheReportedVoice(_ client: any TestClientProtocol) async throws {
        var mod = Browser(client)
        try await mod.signUp("mod")
        try await makeModerator("mod")
        guard let reportID = Browser.id(after: "/moderation/reports/", in: try await mod.get("/moderation").body) else {
            throw Refusal(.notFound, "no report in the queue")
        }
        try await mod.decide("/moderation/reports/\(reportID)", action: "hide", rule: "3", reason: "Advertising.")
    }

    func makeModerator(_ handle: String) async throws {
        try await withStore { store in
            guard let account = try await store.account(handle: handle) else { throw Refusal(.notFound, "no @\(handle)") }
            try await store.setModerator(accountID: account.id, true)
        }
    }
}

extension Browser {
    /// Replies to a voice; returns the page and, for a held reply, its id.
    mutating func reply(to voiceID: String, _ text: String) async throws -> (Page, String?) {
        let page = try await post("/voices/\(voiceID)/reply", [("text", text)])
        if let location = page.location, let match = location.firstMatch(of: /#v(\d+)/) { return (page, String(match.1)) }
        return (page, page.body.firstMatch(of: /\/voices\/(\d+)\/rewrite/).map { String($0.1) })
    }

    /// Decides a queue item as a moderator.
    @discardableResult
    mutating func decide(_ path: String, action: String?, rule: String? = "1", reason: String? = "It blames the survivor.") async throws -> Page {
        var fields: [(String, String)] = []
        if let action { fields.append(("action", action)) }
        if let rule { fields.append(("rule", rule)) }
        if let reason { fields.append(("reason", reason)) }
        return try await post(path, fields)
    }

    /// The first id in a page matching a path pattern such as `/moderation/reports/`.
    static func id(after prefix: String, in html: String) -> String? {
        guard let range = html.range(of: NSRegularExpression.escapedPattern(for: prefix) + #"(\d+)"#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(prefix.count))
    }
}

/// Text as the pages escape it, to look for it in HTML.
func escapedHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
}

/// A signed-out visitor's look at a page.
func visit(_ client: any TestClientProtocol, _ path: String) async throws -> Browser.Page {
    var visitor = Browser(client)
    return try await visitor.get(path)
}
