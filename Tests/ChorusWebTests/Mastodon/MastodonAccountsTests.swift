import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Accounts, relationships, lookup, search, hashtags and trends.
@Suite struct MastodonAccountsTests {
    @Test func accountsHaveEveryRequiredFieldAndListOnlyPublicVoices() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let visible = try await ana.say("#MeToo public")
            _ = try await ana.say("#MeToo anonymous", [("chorus_anonymous", "true")])
            // act
            let account = try await bea.get("/api/v1/accounts/\(ana.accountID)")
            let statuses = try await bea.get("/api/v1/accounts/\(ana.accountID)/statuses")
            let lookup = try await MastodonClient(client).get("/api/v1/accounts/lookup?acct=ana")
            let missing = try await bea.get("/api/v1/accounts/424242")
            let missingLookup = try await bea.get("/api/v1/accounts/lookup?acct=nobody_here")
            let someone = try await bea.get("/api/v1/accounts/0")
            let avatar = try await client.execute(uri: "/static/avatar.png", method: .get)
            // check
            for key in [
                "id", "username", "acct", "display_name", "locked", "bot", "discoverable", "group", "created_at", "note", "url", "avatar",
                "avatar_static", "header", "header_static", "followers_count", "following_count", "statuses_count", "last_status_at", "emojis",
                "fields", "noindex",
            ] {
                #expect(account.object.keys.contains(key), "missing \(key)")
            }
            #expect(account["statuses_count"] as? Int == 1)
            #expect(statuses.ids == [visible["id"] as? String ?? ""])
            #expect(lookup["id"] as? String == ana.accountID)
            #expect(missing.status == .notFound)
            #expect(missingLookup.status == .notFound)
            #expect(someone.status == .notFound)
            #expect(avatar.status == .ok)
            #expect(avatar.headers[.contentType] == "image/png")
        }
    }

    @Test func followUnfollowAndRelationships() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            // act
            let followed = try await ana.post("/api/v1/accounts/\(bea.accountID)/follow")
            let relationships = try await bea.get("/api/v1/accounts/relationships?id[]=\(ana.accountID)&id[]=999")
            let counts = try await ana.get("/api/v1/accounts/verify_credentials")
            let unfollowed = try await ana.post("/api/v1/accounts/\(bea.accountID)/unfollow")
            let selfFollow = try await ana.post("/api/v1/accounts/\(ana.accountID)/follow")
            let unknown = try await ana.post("/api/v1/accounts/999/follow")
            // check
            #expect(followed["following"] as? Bool == true)
            #expect(relationships.list.count == 1)
            #expect(relationships.list.first?["followed_by"] as? Bool == true)
            #expect(relationships.list.first?["following"] as? Bool == false)
            #expect(counts["following_count"] as? Int == 1)
            #expect(unfollowed["following"] as? Bool == false)
            #expect(selfFollow.status == .unprocessableContent)
            #expect(unknown.status == .notFound)
        }
    }

    /// A person's apps list who follows them and whom they follow; to anyone else the lists are empty (the counts are
    /// public), so nobody can read a survivor's supporters, or the survivors someone follows.
    @Test func followListsAreListedToTheAccountItselfOnly() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let carl = try await MastodonClient.signedUp(client, "carl")
            _ = try await ana.post("/api/v1/accounts/\(bea.accountID)/follow")
            _ = try await ana.post("/api/v1/accounts/\(carl.accountID)/follow")
            _ = try await bea.post("/api/v1/accounts/\(ana.accountID)/follow")
            // act
            let following = try await ana.get("/api/v1/accounts/\(ana.accountID)/following")
            let followers = try await ana.get("/api/v1/accounts/\(ana.accountID)/followers")
            let firstPage = try await ana.get("/api/v1/accounts/\(ana.accountID)/following?limit=1")
            let next = try #require(PrivacyWalk.links(in: firstPage.headers[HTTPField.Name("Link")!] ?? "").first { $0.contains("max_id") })
            let secondPage = try await ana.get(next)
            let seenByBea = try await bea.get("/api/v1/accounts/\(ana.accountID)/following")
            let seenByNobody = try await MastodonClient(client).get("/api/v1/accounts/\(ana.accountID)/followers")
            let counts = try await bea.get("/api/v1/accounts/\(ana.accountID)")
            // check
            #expect(following.status == .ok)
            #expect(following.ids == [carl.accountID, bea.accountID])  // the latest follow first
            #expect(followers.ids == [bea.accountID])
            #expect(firstPage.ids == [carl.accountID])
            #expect(secondPage.ids == [bea.accountID])
            #expect(seenByBea.status == .ok && seenByBea.list.isEmpty)
            #expect(seenByNobody.status == .ok && seenByNobody.list.isEmpty)
            #expect(counts["following_count"] as? Int == 2)
            #expect(counts["followers_count"] as? Int == 1)
        }
    }

    /// Apps block, mute and report as the website does, and see the boundaries made there; a block from an anonymous
    /// voice names nobody, and nobody is told they were blocked.
    @Test func blocksMutesAndReportsFromApps() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bob = try await MastodonClient.signedUp(client, "bob")
            let cal = try await MastodonClient.signedUp(client, "cal")
            let anonymous = try await cal.say("#MeToo someone", [("chorus_anonymous", "true")])["id"] as? String ?? ""
            var web = Browser(client)
            try await web.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            try await web.post("/@cal/mute", [])
            try await web.post("/voices/\(anonymous)/block-author", [])
            // act
            let blocked = try await ana.post("/api/v1/accounts/\(bob.accountID)/block")
            let blocks = try await ana.get("/api/v1/blocks")
            let mutes = try await ana.get("/api/v1/mutes")
            let seenByBob = try await bob.get("/api/v1/accounts/relationships?id[]=\(ana.accountID)")
            let report = try await ana.post(
                "/api/v1/reports", form: [("status_ids[]", anonymous), ("comment", "a threat"), ("category", "violation")])
            let again = try await ana.post("/api/v1/reports", form: [("status_ids[]", anonymous), ("category", "other")])
            let accountReport = try await ana.post("/api/v1/reports", form: [("account_id", bob.accountID), ("category", "spam")])
            let nothing = try await ana.post("/api/v1/reports", form: [("category", "spam")])
            let unblocked = try await ana.post("/api/v1/accounts/\(bob.accountID)/unblock")
            let muted = try await ana.post("/api/v1/accounts/\(bob.accountID)/mute")
            let ownBlock = try await ana.post("/api/v1/accounts/\(ana.accountID)/block")
            let reports = try await web.get("/account/reports")
            // check
            #expect(blocked["blocking"] as? Bool == true)
            #expect(blocks.list.compactMap { $0["acct"] as? String } == ["bob"])
            #expect(mutes.list.compactMap { $0["acct"] as? String } == ["cal"])
            #expect(seenByBob.list.first?["blocked_by"] as? Bool == false)
            #expect(report.status == .ok)
            #expect(report["status_ids"] as? [String] == [anonymous])
            #expect((report["target_account"] as? [String: Any])?["acct"] as? String != "cal")
            #expect(again.status == .conflict)
            #expect(accountReport.status == .ok)
            #expect(nothing.status == .unprocessableContent)
            #expect(unblocked["blocking"] as? Bool == false)
            #expect(muted["muting"] as? Bool == true)
            #expect(ownBlock.status == .unprocessableContent)
            #expect(reports.body.components(separatedBy: "Waiting for a moderator.").count - 1 == 2)
        }
    }

    /// `tagged` picks the voices before the page is cut: the newest voices with the tag, however many without came after.
    @Test func taggedStatusesAreThoseWithTheTagWhateverCameAfter() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let rare = try await ana.say("#MeToo #RareTag once")["id"] as? String ?? ""
            for number in 1...3 { _ = try await ana.say("#MeToo number \(number)") }
            // act
            let tagged = try await ana.get("/api/v1/accounts/\(ana.accountID)/statuses?tagged=raretag&limit=2")
            let hashed = try await ana.get("/api/v1/accounts/\(ana.accountID)/statuses?tagged=%23RareTag")
            // check
            #expect(tagged.ids == [rare])
            #expect(hashed.ids == [rare])
        }
    }

    @Test func searchFindsAccountsHashtagsAndStatuses() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana_m")
            let status = try await ana.say("#MeToo #IchAuch at work, for years")
            _ = try await ana.say("private words at work", [("visibility", "direct")])
            let bea = try await MastodonClient.signedUp(client, "bea")
            // act
            let accounts = try await bea.get("/api/v2/search?q=ana&type=accounts")
            let hashtags = try await bea.get("/api/v2/search?q=%23ich&type=hashtags")
            let statuses = try await bea.get("/api/v2/search?q=at+work&type=statuses&resolve=true")
            let all = try await MastodonClient(client).get("/api/v2/search?q=metoo")
            let empty = try await bea.get("/api/v2/search?q=")
            let badType = try await bea.get("/api/v2/search?q=x&type=people")
            // this instance's own addresses, as apps send a tapped link or a full handle
            let host = try await bea.get("/api/v1/instance")["uri"] as? String ?? ""
            let statusID = status["id"] as? String ?? ""
            let fullHandle = try await bea.get("/api/v2/search?q=%40ana_m%40\(host)&resolve=true")
            let profileLink = try await bea.get("/api/v2/search?q=http%3A%2F%2F\(host)%2F%40ana_m&resolve=true")
            let voiceLink = try await bea.get("/api/v2/search?q=http%3A%2F%2F\(host)%2Fvoices%2F\(statusID)&resolve=true")
            let elsewhere = try await bea.get("/api/v2/search?q=ana_m%40elsewhere.example")
            // check
            #expect((fullHandle["accounts"] as? [[String: Any]])?.compactMap { $0["username"] as? String } == ["ana_m"])
            #expect((profileLink["accounts"] as? [[String: Any]])?.compactMap { $0["username"] as? String } == ["ana_m"])
            #expect((voiceLink["statuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [statusID])
            #expect((elsewhere["accounts"] as? [Any])?.isEmpty == true)
            #expect(accounts.status == .ok)
            #expect((accounts["accounts"] as? [[String: Any]])?.first?["username"] as? String == "ana_m")
            #expect((hashtags["hashtags"] as? [[String: Any]])?.compactMap { $0["name"] as? String }.contains("ichauch") == true)
            #expect((statuses["statuses"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [status["id"] as? String ?? ""])
            #expect((all["statuses"] as? [Any])?.isEmpty == true)
            #expect((all["hashtags"] as? [[String: Any]])?.first?["name"] as? String == "metoo")
            #expect(empty.status == .unprocessableContent)
            #expect(badType.status == .unprocessableContent)
        }
    }

    @Test func hashtagsCanBeFollowedAndTrend() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            _ = try await bea.say("#MeToo #YoTambién")
            _ = try await ana.say("#MeToo")
            // A tag trends only once 10 people use it in a day: its history publishes per-day counts of people.
            for number in 0..<8 { _ = try await MastodonClient.signedUp(client, "p\(number)").say("#MeToo") }
            // act
            let tag = try await ana.get("/api/v1/tags/metoo")
            let follow = try await ana.post("/api/v1/tags/yotambi%C3%A9n/follow")
            let followed = try await ana.get("/api/v1/followed_tags")
            let home = try await ana.get("/api/v1/timelines/home")
            let unfollow = try await ana.post("/api/v1/tags/yotambi%C3%A9n/unfollow")
            let trends = try await MastodonClient(client).get("/api/v1/trends/tags")
            let invalid = try await ana.get("/api/v1/tags/not*a*tag")
            // check
            #expect(tag["name"] as? String == "metoo")
            #expect(tag["following"] as? Bool == false)
            let today = (tag["history"] as? [[String: Any]])?.first
            #expect(today?["uses"] as? String == "10")
            #expect(today?["accounts"] as? String == "10")
            #expect(follow["following"] as? Bool == true)
            #expect(followed.list.compactMap { $0["name"] as? String } == ["yotambien"])
            #expect(home.ids.count == 2)
            #expect(unfollow["following"] as? Bool == false)
            #expect(trends.list.first?["name"] as? String == "metoo")
            #expect((trends.list.first?["history"] as? [Any])?.count == 7)
            #expect(invalid.status == .notFound)
        }
    }
}
