import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Timelines and pagination: home, public, hashtag and favourites, with `max_id`, `since_id`, `min_id`, `limit` and `Link`.
@Suite struct MastodonTimelinesTests {
    @Test func homeHasOwnVoicesAndFollowedPublicVoicesButNoOneElsesAnonymousVoices() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let cleo = try await MastodonClient.signedUp(client, "cleo")
            _ = try await ana.post("/api/v1/accounts/\(bea.accountID)/follow")
            let own = try await ana.say("#MeToo mine")
            let ownOnlyMe = try await ana.say("a journal line", [("visibility", "direct")])
            let followed = try await bea.say("#MeToo from bea")
            let followedAnonymous = try await bea.say("#MeToo bea anonymously", [("chorus_anonymous", "1")])
            let stranger = try await cleo.say("#MeToo from cleo")
            // act
            let home = try await ana.get("/api/v1/timelines/home")
            // check
            #expect(home.status == .ok)
            #expect(
                home.ids == [followed, ownOnlyMe, own].map { $0["id"] as? String ?? "" })
            #expect(!home.ids.contains(followedAnonymous["id"] as? String ?? ""))
            #expect(!home.ids.contains(stranger["id"] as? String ?? ""))
        }
    }

    @Test func publicAndHashtagTimelinesNeedNoLoginAndPageWithLinkHeaders() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await ana.say("#MeToo voice \(index)")["id"] as? String ?? "") }
            _ = try await ana.say("a note without the tag")
            _ = try await ana.say("#MeToo only me", [("visibility", "private")])
            let reader = MastodonClient(client)
            // act
            let first = try await reader.get("/api/v1/timelines/tag/metoo?limit=2")
            let next = try await reader.get("/api/v1/timelines/tag/MeToo?limit=2&max_id=\(first.ids.last ?? "")")
            let newer = try await reader.get("/api/v1/timelines/tag/metoo?limit=2&min_id=\(ids[0])")
            let since = try await reader.get("/api/v1/timelines/tag/metoo?since_id=\(ids[2])")
            let publicTimeline = try await reader.get("/api/v1/timelines/public?local=true")
            let remote = try await reader.get("/api/v1/timelines/public?remote=true")
            let badLimit = try await reader.get("/api/v1/timelines/public?limit=lots")
            let badTag = try await reader.get("/api/v1/timelines/tag/no-such*tag")
            // check
            #expect(first.ids == [ids[4], ids[3]])
            let link = first.headers[.init("Link")!] ?? ""
            #expect(link.contains("max_id=\(ids[3])>; rel=\"next\""))
            #expect(link.contains("min_id=\(ids[4])>; rel=\"prev\""))
            #expect(next.ids == [ids[2], ids[1]])
            #expect(newer.ids == [ids[2], ids[1]])
            #expect(since.ids == [ids[4], ids[3]])
            #expect(publicTimeline.ids.count == 6)
            #expect(remote.ids.isEmpty)
            #expect(badLimit.status == .unprocessableContent)
            #expect(badTag.status == .unprocessableContent || badTag.status == .notFound)
        }
    }

    @Test func favouritesListWhatAPersonBelieved() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let first = try await ana.say("#MeToo one")["id"] as? String ?? ""
            let second = try await ana.say("#MeToo two")["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/statuses/\(second)/favourite")
            _ = try await bea.post("/api/v1/statuses/\(first)/favourite")
            // act
            let favourites = try await bea.get("/api/v1/favourites")
            let paged = try await bea.get("/api/v1/favourites?limit=1")
            // check
            #expect(favourites.ids == [first, second])
            #expect(paged.ids == [first])
            #expect(paged.headers[.init("Link")!]?.contains("rel=\"next\"") == true)
        }
    }
}
