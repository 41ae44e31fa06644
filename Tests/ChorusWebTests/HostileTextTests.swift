import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Hostile text is stored as typed and can never become markup: every payload of `Tests/Fixtures/hostile-text.txt`
/// posted as a story, a content warning, a reply and a pledge appears escaped on every page that shows it.
@Suite struct HostileTextTests {
    static let payloads: [String] = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hostile-text.txt").path
        let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.components(separatedBy: "\n") ?? []
        return lines.filter { !$0.isEmpty && !$0.hasPrefix("# ") }.map {
            $0.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r").replacingOccurrences(of: "\\0", with: "\0")
        }
    }()

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test func fixtureHasTheHostileCorpus() {
        #expect(Self.payloads.count >= 40)
    }

    @Test func everyPayloadIsEscapedOnEveryPage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var bea = Browser(client)
            try await bea.signUp("bea")
            var voiceIDs: [String] = []
            // act
            for payload in Self.payloads {
                let (page, id) = try await ana.sayMeToo(payload + " #MeToo", warning: String(payload.prefix(150)))
                #expect(page.status == .created || page.status == .unprocessableContent, "\(payload)")
                if let id {
                    voiceIDs.append(id)
                    try await bea.post("/voices/\(id)/reply", [("text", "I believe you. " + payload)])
                }
                try await bea.post("/pledges", [("text", "I will " + payload), ("visibility", "public")])
            }
            var pages = [
                try await ana.get("/"), try await ana.get("/voices"), try await ana.get("/tags/metoo"), try await ana.get("/@ana"),
                try await ana.get("/journal"), try await ana.get("/pledges"),
            ]
            for id in voiceIDs.prefix(40) { pages.append(try await ana.get("/voices/\(id)")) }
            // check
            let special = CharacterSet(charactersIn: "<>\"'&")
            for page in pages {
                let scripts = page.body.components(separatedBy: "<script").dropFirst()
                #expect(scripts.allSatisfy { $0.hasPrefix(" src=\"/static/") }, "only Chorus's own scripts may be on a page")
                #expect(!page.body.contains("href=\"javascript"))
                for payload in Self.payloads where payload.rangeOfCharacter(from: special) != nil && !payload.contains("&lt;") {
                    #expect(!page.body.contains(payload), "unescaped: \(payload)")
                }
            }
            let threads = pages.suffix(from: 6).map(\.body).joined()
            for payload in Self.payloads where payload.rangeOfCharacter(from: special) != nil && !payload.contains("#") {
                #expect(threads.contains(Self.escaped(payload)), "not shown escaped: \(payload)")
            }
        }
    }

    @Test func lookAlikeHandlesCannotImpersonate() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("anna")
            var impostor = Browser(client)
            // act
            let cyrillic = try await impostor.signUp("аnna")  // Cyrillic а
            let zeroWidth = try await impostor.signUp("an\u{200B}na")
            let rightToLeft = try await impostor.signUp("\u{202E}anna")
            let upper = try await impostor.signUp("ANNA")
            // check
            #expect(cyrillic.status == .unprocessableContent)
            #expect(zeroWidth.status == .unprocessableContent)
            #expect(rightToLeft.status == .unprocessableContent)
            #expect(upper.status == .conflict)
        }
    }

    @Test func combiningMarkFloodIsRefusedWithAClearMessage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let flood = try await ana.post("/say", [("text", "a" + String(repeating: "\u{0301}", count: 10_500)), ("visibility", "public")])
            let huge = try await ana.postRaw("/say", "text=" + String(repeating: "a", count: 70_000) + "&_csrf=" + (ana.cookies["chorus_csrf"] ?? ""))
            // check
            #expect(flood.status == .unprocessableContent)
            #expect(flood.body.contains("longer than Chorus can store"))
            #expect(huge.status == .contentTooLarge)
        }
    }
}
