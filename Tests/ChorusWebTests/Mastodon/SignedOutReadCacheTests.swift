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
}
