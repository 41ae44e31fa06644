import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Signed-out API reads answered from memory: never out of date after a write, never shared with a signed-in reader.
@Suite struct SignedOutReadCacheTests {
    @Test func aWriteIsSeenByTheNextSignedOutReadAtOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let reader = MastodonClient(client)
            let first = try await ana.say("#MeToo the first")["id"] as? String ?? ""
            let before = try await reader.get("/api/v1/timelines/tag/metoo")
            let again = try await reader.get("/api/v1/timelines/tag/metoo")
            // act
            let second = try await ana.say("#MeToo the second")["id"] as? String ?? ""
            let afterSaying = try await reader.get("/api/v1/timelines/tag/metoo")
            _ = try await ana.delete("/api/v1/statuses/\(first)")
            let afterDeleting = try await reader.get("/api/v1/timelines/tag/metoo")
            _ = try await ana.post("/api/v1/statuses/\(second)/favourite")
            let status = try await reader.get("/api/v1/statuses/\(second)")
            // check
            #expect(before.ids == [first] && again.ids == [first])
            #expect(again.body == before.body)
            #expect(afterSaying.ids == [second, first])
            #expect(afterDeleting.ids == [second])
            #expect(status["favourites_count"] as? Int == 1)
        }
    }

    @Test func signedInReadersGetTheirOwnAnswerAndCountsMoveAtOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let voice = try await ana.say("#MeToo believed")["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/statuses/\(voice)/favourite")
            let reader = MastodonClient(client)
            // act
            let signedOut = try await reader.get("/api/v1/statuses/\(voice)")
            let asBea = try await bea.get("/api/v1/statuses/\(voice)")
            let signedOutAgain = try await reader.get("/api/v1/statuses/\(voice)")
            _ = try await bea.post("/api/v1/statuses/\(voice)/unfavourite")
            let afterUnfavouring = try await reader.get("/api/v1/statuses/\(voice)")
            // check
            #expect(signedOut["favourited"] as? Bool != true)
            #expect(asBea["favourited"] as? Bool == true)
            #expect(signedOutAgain["favourited"] as? Bool != true)
            #expect(signedOutAgain["favourites_count"] as? Int == 1)
            #expect(afterUnfavouring["favourites_count"] as? Int == 0)
        }
    }

    /// A CSRF cookie that is not one of Chorus's tokens (quotes, or a piece of the page) is replaced, so a signed-out
    /// page kept for others never carries it: every visitor's forms hold their own token, and the quick exit stays.
    @Test func aCraftedCSRFCookieNeverReachesAnotherVisitorsPage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let visitorToken = String(repeating: "A", count: 43)
            let crafted = [String(repeating: "'", count: 43), "script src=\"/static/exit.js\" defer></script"]
            var pages: [String] = []
            var cookies: [String?] = []
            // act
            for cookie in crafted {
                let attacker = try await client.execute(uri: "/signin", method: .get, headers: [.cookie: "chorus_csrf=\(cookie)"])
                cookies.append(attacker.headers[.setCookie])
                let visitor = try await client.execute(uri: "/signin", method: .get, headers: [.cookie: "chorus_csrf=\(visitorToken)"])
                pages.append(String(buffer: visitor.body))
            }
            // check
            #expect(cookies.allSatisfy { $0?.hasPrefix("chorus_csrf=") == true })
            for page in pages {
                #expect(page.contains("name=\"_csrf\" value=\"\(visitorToken)\""))
                #expect(!page.contains("&#39;&#39;&#39;"))
                #expect(page.contains("<script src=\"/static/exit.js\" defer></script>"))
            }
        }
    }
}
