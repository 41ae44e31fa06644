import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing

@testable import ChorusWeb

/// Someone hunting for who is behind an anonymous voice: every route the router has, walked signed out, as another
/// person, as a moderator, and through the Mastodon API with their tokens. The author's handle, name and id must turn
/// up nowhere near their anonymous voices, and only-me voices nowhere but in the author's own answers.
@Suite struct PrivacyWalkTests {
    // MARK: - The walk

    @Test func everyRouteWalkedByOthersNeverNamesTheAnonymousAuthor() async throws {
        // setup
        let chorus = try await makeAppWithStore()
        let routes = try await PrivacyWalk.routes(store: chorus.store)
        try await chorus.app.test(.live) { client in
            let port = try #require(client.port)
            var world = try await PrivacyWorld.make(client, store: chorus.store)
            let streaming = try await PrivacyWalk.streamingRoutes(routes, port: port, token: world.bea.token)
            let streams = try world.openStreams(port: port, routes: streaming)
            let socket = PrivacySocket(port: port, token: world.bea.token, hashtag: world.hashtag, until: world.endMarker)
            try await world.act()
            let socketText = await socket.messages()
            PrivacyWalk.trace("set up")
            let walkers = try await world.walkers()
            // act
            var walk = PrivacyWalk(world: world, routes: routes.filter { !streaming.contains($0.path) })
            let plan = try walk.plan()
            for walker in walkers { try await walk.walk(plan, as: walker) }
            var author = world.authorWalker()
            try await walk.walk(plan.filter { $0.method == .get }, as: &author, checking: false)
            let streamed = await streams.read(until: world.endMarker)
            print(
                "privacy walk: \(routes.count) routes (\(streaming.count) streams read live), \(plan.count) paths, \(walk.requests) requests,"
                    + " \(walk.sightings["only-me and missing voices compared", default: 0]) only-me/missing answers compared")
            // check
            #expect(plan.count >= routes.count, "every route is requested at least once")
            #expect(walk.requests > 1000)
            #expect(walk.serverErrors.isEmpty, "\(walk.serverErrors.prefix(20).joined(separator: "\n"))")
            #expect(walk.leaks.isEmpty, "\(walk.leaks.prefix(40).joined(separator: "\n"))")
            #expect(walk.existenceTells.isEmpty, "\(walk.existenceTells.prefix(20).joined(separator: "\n"))")
            // The walk saw what it hunts for, so that finding nothing means something.
            #expect(walk.sightings["anonymous text seen by others", default: 0] > 10)
            #expect(walk.sightings["author named on their own profile", default: 0] > 0)
            #expect(walk.sightings["only-me text seen by its author", default: 0] > 0)
            #expect(walk.sightings["only-me and missing voices compared", default: 0] > 100)
            #expect(Set(streaming) == PrivacyWalk.knownStreams, "a new streaming route is read by PrivacyStreams: add it to knownStreams")
            for (name, text) in streamed {
                if name.contains("public") || name.contains("hashtag") || name.contains("user as bea") {
                    #expect(text.contains(world.endMarker), "the \(name) stream reached the end of the setup")
                }
                for secret in world.authorSecrets + world.onlyMeSecrets where text.lowercased().contains(secret.value.lowercased()) {
                    Issue.record("the \(name) stream carries \(secret.label)")
                }
            }
            #expect(streamed.contains { $0.1.contains(world.anonymousText) }, "the anonymous voice was streamed, as someone")
            // The WebSocket (its own router) as bea's app, subscribed to her home, notifications, public and the hashtag.
            #expect(socketText.contains(world.endMarker), "the WebSocket heard everything up to the end")
            #expect(socketText.contains("AnonStoryQuokka"))
            for secret in world.authorSecrets + world.onlyMeSecrets where socketText.lowercased().contains(secret.value.lowercased()) {
                Issue.record("the WebSocket carries \(secret.label)")
            }
        }
        await chorus.store.shutdown()
    }

    @Test func routesTheWalkCannotFillFailTheTest() async throws {
        // setup
        let store = try await ChorusStore.open(try await TestDatabase.freshEngine(), logger: Logger(label: "test"))
        let routes = try await PrivacyWalk.routes(store: store)
        await store.shutdown()
        // act
        let unknown = routes.filter { route in PrivacyWalk.parameters(in: route.path).contains { PrivacyWalk.kind(of: $0, in: route.path) == nil } }
        // check
        #expect(routes.count > 100, "the router lists its routes")
        #expect(unknown.isEmpty, "add these to PrivacyWalk.kind(of:in:): \(unknown.map { "\($0.method) \($0.path)" })")
        #expect(PrivacyWalk.kind(of: "id", in: "/some/new/{id}") == nil, "a new kind of id is not guessed")
    }

    // MARK: - Lists, cursors and counts

    @Test func accountListsCursorsAndCountsNeverLinkAnonymousVoices() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let author = try await MastodonClient.signedUp(client, "Wren_Halloway")
            let reader = try await MastodonClient.signedUp(client, "reader_tom")
            var publicIDs: [String] = []
            for index in 1...3 { publicIDs.append(try await author.say("#MeToo public voice \(index)")["id"] as? String ?? "") }
            let profileBefore = try await reader.get("/api/v1/accounts/\(author.accountID)")
            let pageBefore = try await visit(client, "/@Wren_Halloway")
            // act
            var anonymousIDs: [String] = []
            for index in 1...3 {
                anonymousIDs.append(
                    try await author.say("#MeToo anonymous voice \(index) #HiddenGarden", [("chorus_anonymous", "true")])["id"] as? String ?? "")
            }
            let onlyMe = try await author.say("a note for me only", [("visibility", "direct")])["id"] as? String ?? ""
            let profileAfter = try await reader.get("/api/v1/accounts/\(author.accountID)")
            let pageAfter = try await visit(client, "/@Wren_Halloway")
            var seen: [String] = []
            var links: [String] = []
            var next: String? = "/api/v1/accounts/\(author.accountID)/statuses?limit=1"
            while let path = next, seen.count < 20 {
                let page = try await reader.get(path)
                seen += page.ids
                links.append(page.headers[.link] ?? "")
                next = PrivacyWalk.links(in: page.headers[.link] ?? "").first { $0.contains("max_id") }
            }
            let newer = try await reader.get("/api/v1/accounts/\(author.accountID)/statuses?min_id=\(publicIDs[0])")
            let anonymousPage = try await reader.get("/api/v1/statuses/\(anonymousIDs[0])")
            // check
            #expect(seen == publicIDs.reversed(), "only the public voices, newest first, one page at a time")
            for id in anonymousIDs + [onlyMe] {
                #expect(!links.contains { $0.contains(id) }, "no cursor is an anonymous or only-me voice's id")
                #expect(!newer.body.contains(id))
            }
            for field in ["statuses_count", "last_status_at", "followers_count", "following_count"] {
                #expect("\(profileBefore[field] ?? "")" == "\(profileAfter[field] ?? "")", "\(field) does not move for an anonymous voice")
            }
            #expect(PrivacyWalk.comparable(pageBefore.body) == PrivacyWalk.comparable(pageAfter.body), "the profile page does not change")
            #expect(anonymousPage.status == .ok)
            #expect((anonymousPage["account"] as? [String: Any])?["id"] as? String == "0")
        }
    }

    /// A hashtag's history counts each anonymous voice as a person of its own, hides days used by fewer than 10 people,
    /// and, like the instance's count of voices, stays as it was when an account that spoke anonymously is erased.
    @Test func hashtagHistoryCountsAnAnonymousVoiceAsItsOwnPerson() async throws {
        // setup
        let setup = try await makeAppWithStore { config in config.runsJobs = false }
        try await setup.app.test(.live) { client in
            let author = try await MastodonClient.signedUp(client, "june_ashgrove")
            let reader = try await MastodonClient.signedUp(client, "reader_lu")
            var browser = Browser(client)
            try await browser.signUp("leaving_iris")
            _ = try await author.say("#MeToo #LanternWalk in my own name")
            let few = try await reader.get("/api/v1/tags/LanternWalk")
            for index in 0..<8 { _ = try await MastodonClient.signedUp(client, "walker_\(index)").say("#LanternWalk with you") }
            // act
            _ = try await author.say("#MeToo #LanternWalk and this one anonymously", [("chorus_anonymous", "true")])
            let statsBefore = try await reader.get("/api/v1/instance")
            _ = try await browser.sayMeToo("#LanternWalk quietly, from someone about to leave", visibility: "anonymous")
            let tag = try await reader.get("/api/v1/tags/LanternWalk")
            let statsAfterSaying = try await reader.get("/api/v1/instance")
            _ = try await browser.post("/account/delete", [("voices", "erase"), ("password", "correct horse battery")])
            try await setup.store.runPendingJobs()
            let afterErasure = try await reader.get("/api/v1/tags/LanternWalk")
            let statsAfterErasure = try await reader.get("/api/v1/instance")
            // check
            let today = (tag["history"] as? [[String: Any]])?.first
            #expect((few["history"] as? [[String: Any]])?.first?["accounts"] as? String == "0", "fewer than 10 people: not shown")
            #expect(today?["uses"] as? String == "11")
            #expect(today?["accounts"] as? String == "11", "one person in their own name and one anonymous voice read as two people")
            #expect((afterErasure["history"] as? [[String: Any]])?.first?["uses"] as? String == "11")
            let count = { (instance: APIReply) in "\((instance["stats"] as? [String: Any])?["status_count"] ?? "")" }
            #expect(count(statsBefore) == count(statsAfterSaying))
            #expect(count(statsBefore) == count(statsAfterErasure))
        }
        await setup.store.shutdown()
    }

    // MARK: - Boundaries, believers and notifications

    @Test func blockingAnAnonymousAuthorKeepsTheFollowsThatWouldNameThem() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var author = Browser(client)
            try await author.signUp("ines_corvel")
            var reader = Browser(client)
            try await reader.signUp("reader_bo")
            try await reader.post("/@ines_corvel/follow", [])
            try await author.post("/@reader_bo/follow", [])
            let (_, anonymousID) = try await author.sayMeToo("#MeToo it was my manager", visibility: "anonymous")
            let voiceID = try #require(anonymousID)
            // act
            let blocked = try await reader.post("/voices/\(voiceID)/block-author", [])
            let profile = try await reader.get("/@ines_corvel")
            let followers = try await author.get("/@reader_bo")
            // check
            #expect(blocked.status == .seeOther || blocked.status == .found)
            #expect(profile.body.contains("/@ines_corvel/unfollow"), "the reader still follows the person they did not know they blocked")
            #expect(followers.body.contains("/@reader_bo/unfollow"), "and the author still follows the reader")
        }
    }

    @Test func theAuthorsOwnBeliefsInAnAnonymousThreadNameNobody() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let author = try await MastodonClient.signedUp(client, "Perpetua_Lisle")
            let supporter = try await MastodonClient.signedUp(client, "supporter_kai")
            let anonymous = try await author.say("#MeToo at the school", [("chorus_anonymous", "true")])["id"] as? String ?? ""
            let reply = try await supporter.say("I believe you, and I am here.", [("in_reply_to_id", anonymous)])["id"] as? String ?? ""
            // act
            _ = try await author.post("/api/v1/statuses/\(anonymous)/favourite")
            _ = try await author.post("/api/v1/statuses/\(reply)/favourite")
            let rootBelievers = try await supporter.get("/api/v1/statuses/\(anonymous)/favourited_by")
            let replyBelievers = try await supporter.get("/api/v1/statuses/\(reply)/favourited_by")
            let notifications = try await supporter.get("/api/v1/notifications")
            // check
            for answer in [rootBelievers, replyBelievers, notifications] {
                #expect(!answer.body.contains(author.accountID))
                #expect(!answer.body.lowercased().contains("perpetua_lisle"))
            }
            #expect(notifications.list.count == 1, "the supporter is still told someone believes them")
            #expect((notifications.list.first?["account"] as? [String: Any])?["username"] as? String == "someone")
        }
    }

    @Test func groupedNotificationsNeverSampleTheAnonymousAuthor() async throws {
        // setup: the author and someone else both believe a supporter's reply in the author's anonymous thread
        let app = try await makeApp()
        try await app.test(.live) { client in
            let author = try await MastodonClient.signedUp(client, "Ottoline_Barr")
            let supporter = try await MastodonClient.signedUp(client, "supporter_ines")
            let friend = try await MastodonClient.signedUp(client, "friend_noor")
            let anonymous = try await author.say("#MeToo at the gym", [("chorus_anonymous", "true")])["id"] as? String ?? ""
            let reply = try await supporter.say("I believe you, and I am here.", [("in_reply_to_id", anonymous)])["id"] as? String ?? ""
            // act
            _ = try await author.post("/api/v1/statuses/\(reply)/favourite")
            _ = try await friend.post("/api/v1/statuses/\(reply)/favourite")
            let groups = try await supporter.get("/api/v2/notifications")
            let key = (groups["notification_groups"] as? [[String: Any]])?.first?["group_key"] as? String ?? ""
            let group = try await supporter.get("/api/v2/notifications/\(key)")
            let people = try await supporter.get("/api/v2/notifications/\(key)/accounts")
            // check
            #expect(groups.status == .ok && group.status == .ok && people.status == .ok)
            #expect((groups["notification_groups"] as? [[String: Any]])?.first?["notifications_count"] as? Int == 2)
            for answer in [groups, group, people] {
                #expect(!answer.body.contains(author.accountID))
                #expect(!answer.body.lowercased().contains("ottoline_barr"))
                #expect(answer.body.contains(friend.accountID))
            }
        }
    }

    @Test func someoneTheAnonymousAuthorBlockedSeesTheirBeliefAndReplyCountedLikeAnyoneElse() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var author = Browser(client)
            try await author.signUp("tamsin_okoro")
            let blocked = try await MastodonClient.signedUp(client, "blocked_bram")
            let other = try await MastodonClient.signedUp(client, "other_olu")
            try await author.post("/@blocked_bram/block", [])
            let (_, first) = try await author.sayMeToo("#MeToo the first time", visibility: "anonymous")
            let (_, second) = try await author.sayMeToo("#MeToo the second time", visibility: "anonymous")
            let seenByBlocked = try #require(first)
            let seenByOther = try #require(second)
            // act
            for (person, voice) in [(blocked, seenByBlocked), (other, seenByOther)] {
                _ = try await person.post("/api/v1/statuses/\(voice)/favourite")
                _ = try await person.say("I believe you. I am so sorry.", [("in_reply_to_id", voice)])
            }
            let blockedView = try await blocked.get("/api/v1/statuses/\(seenByBlocked)")
            let otherView = try await other.get("/api/v1/statuses/\(seenByOther)")
            let blockedThread = try await blocked.get("/api/v1/statuses/\(seenByBlocked)/context")
            // check
            for field in ["favourites_count", "replies_count", "favourited"] {
                #expect("\(blockedView[field] ?? "")" == "\(otherView[field] ?? "")", "\(field) reads the same for both")
            }
            #expect(blockedView["favourites_count"] as? Int == 1)
            #expect((blockedThread["descendants"] as? [[String: Any]])?.count == 1, "the blocked person sees their own reply")
            // Signed out, the voice reads as it does for the blocked person: a count or a reply that others did not see
            // would tell them, from a second account, which anonymous voices are by someone who blocked them.
            let publicView = try await MastodonClient(client).get("/api/v1/statuses/\(seenByBlocked)")
            let publicThread = try await MastodonClient(client).get("/api/v1/statuses/\(seenByBlocked)/context")
            #expect(publicView["favourites_count"] as? Int == 1)
            #expect(publicView["replies_count"] as? Int == 1)
            #expect((publicThread["descendants"] as? [[String: Any]])?.count == 1)
        }
    }
}

// MARK: - The people and what they did

/// A survivor with a distinctive name who speaks anonymously, the people around them, and the ids of everything they made.
struct PrivacyWorld {
    let client: any TestClientProtocol
    let store: ChorusStore

    let authorHandle = "MargueriteQuill"
    let authorName = "Ottoline Vantablack"
    let anonymousText = "AnonStoryQuokka about the night at the studio"
    let anonymousWarning = "AnonWarningQuokka"
    let authorReplyText = "AuthorReplyQuokka thank you for hearing me"
    let onlyMeText = "OnlyMeJournalPelican I am not ready to say this"
    let onlyMeWarning = "OnlyMeWarningPelican"
    let hashtag = "QuokkaCircle"
    let endMarker = "StreamEndMarkerHeron"

    var author: MastodonClient
    var bea: MastodonClient
    var carl: MastodonClient
    var moderator: MastodonClient
    var authorWeb: Browser
    var beaWeb: Browser
    var carlWeb: Browser
    var moderatorWeb: Browser

    var anonymousID = ""
    var onlyMeID = ""
    var authorReplyID = ""
    var beaReplyID = ""
    var missingVoiceID = ""
    var reportIDs: [String] = []
    var actionIDs: [String] = []
    var notificationIDs: [String] = []
    var notificationGroupKeys: [String] = []

    static func make(_ client: any TestClientProtocol, store: ChorusStore) async throws -> PrivacyWorld {
        let author = try await MastodonClient.signedUp(client, "MargueriteQuill")
        let bea = try await MastodonClient.signedUp(client, "bea_supporter")
        let carl = try await MastodonClient.signedUp(client, "carl_reporter")
        let moderator = try await MastodonClient.signedUp(client, "mo_moderator")
        if let account = try await store.account(handle: "mo_moderator") { try await store.setModerator(accountID: account.id, true) }
        func signedIn(_ handle: String) async throws -> Browser {
            var browser = Browser(client)
            try await browser.post("/signin", [("handle", handle), ("password", "correct horse battery")])
            return browser
        }
        return PrivacyWorld(
            client: client, store: store, author: author, bea: bea, carl: carl, moderator: moderator,
            authorWeb: try await signedIn("MargueriteQuill"), beaWeb: try await signedIn("bea_supporter"),
            carlWeb: try await signedIn("carl_reporter"), moderatorWeb: try await signedIn("mo_moderator"))
    }

    /// What names the author, as others must never see it near an anonymous voice.
    var authorSecrets: [(label: String, value: String)] {
        [("the author's handle", authorHandle), ("the author's display name", "Vantablack"), ("the author's account id", author.accountID)]
    }

    /// What only the author may read.
    var onlyMeSecrets: [(label: String, value: String)] {
        [("only-me text", "OnlyMeJournalPelican"), ("an only-me content warning", onlyMeWarning)]
    }

    /// What belongs to the author's anonymous voices: never in an answer about the author.
    var anonymousSecrets: [(label: String, value: String)] {
        [
            ("anonymous text", "AnonStoryQuokka"), ("an anonymous content warning", anonymousWarning),
            ("the author's anonymous reply", "AuthorReplyQuokka"),
            ("an anonymous voice's id", anonymousID), ("the author's anonymous reply's id", authorReplyID),
        ]
    }

    /// Every streaming route, opened before anything happens, signed out and with bea's and the moderator's tokens.
    func openStreams(port: Int, routes: [String]) throws -> PrivacyStreams {
        var readers: [(String, EventStreamReader)] = []
        for route in routes {
            let path = route + (route.contains("hashtag") ? "?tag=\(hashtag)" : "")
            readers.append(("\(route) signed out", try EventStreamReader(port: port, path: path)))
            readers.append(("\(route) as bea", try EventStreamReader(port: port, path: path, token: bea.token)))
            readers.append(("\(route) as the moderator", try EventStreamReader(port: port, path: path, token: moderator.token)))
        }
        return PrivacyStreams(readers: readers)
    }

    /// Everything people do around an anonymous voice, through the pages and the API.
    mutating func act() async throws {
        try await authorWeb.post(
            "/account/settings", [("display_name", authorName), ("language", ""), ("country", ""), ("default_reply_policy", "everyone")])
        #expect(try await authorWeb.get("/account").body.contains(authorName), "the author's name is set")
        try await beaWeb.post("/@\(authorHandle)/follow", [])
        _ = try await moderator.post("/api/v1/tags/\(hashtag)/follow")
        _ = try await bea.post("/api/v1/tags/MeToo/follow")

        let (said, anonymous) = try await authorWeb.sayMeToo(
            "#MeToo \(anonymousText) #\(hashtag)", warning: anonymousWarning, visibility: "anonymous")
        #expect(said.status == .created)
        anonymousID = try #require(anonymous)
        let (_, onlyMe) = try await authorWeb.sayMeToo("#MeToo \(onlyMeText) #\(hashtag)", warning: onlyMeWarning, visibility: "only_me")
        onlyMeID = try #require(onlyMe)

        try await beaWeb.post("/voices/\(anonymousID)/believe", [])
        let (_, beaReply) = try await beaWeb.reply(to: anonymousID, "I believe you, you are not alone.")
        beaReplyID = try #require(beaReply)
        _ = try await carl.post("/api/v1/statuses/\(anonymousID)/favourite")
        _ = try await carl.say("@someone I am so sorry this happened #\(hashtag)", [("in_reply_to_id", anonymousID)])
        let (_, authorReply) = try await authorWeb.reply(to: beaReplyID, authorReplyText)
        authorReplyID = try #require(authorReply)
        try await authorWeb.post("/voices/\(beaReplyID)/believe", [])
        _ = try await author.post("/api/v1/statuses/\(anonymousID)/favourite")

        func reportsInQueue() async throws -> [String] {
            try await moderatorWeb.get("/moderation").body.matches(of: /\/moderation\/reports\/(\d+)/).map { String($0.1) }
        }
        try await carlWeb.post("/report", [("voice", anonymousID), ("category", "other"), ("note", "Checking this is fine.")])
        let rootReports = try await reportsInQueue()
        _ = try await bea.post("/api/v1/statuses/\(authorReplyID)/favourite")
        try await carlWeb.post("/report", [("voice", authorReplyID), ("category", "spam"), ("note", "Looks odd.")])
        let queue = try await moderatorWeb.get("/moderation")
        reportIDs = try await reportsInQueue()
        #expect(reportIDs.count == 2, "both reports are in the queue")
        for secret in authorSecrets { #expect(!queue.body.lowercased().contains(secret.value.lowercased()), "the queue names \(secret.label)") }
        for id in reportIDs {
            try await moderatorWeb.decide("/moderation/reports/\(id)", action: rootReports.contains(id) ? "dismiss" : "hide")
        }
        let decisions = try await authorWeb.get("/account/moderation")
        actionIDs = decisions.body.matches(of: /\/account\/moderation\/(\d+)\/appeal/).map { String($0.1) }
        #expect(!actionIDs.isEmpty, "the author sees the decision about their reply")
        for id in actionIDs { try await authorWeb.post("/account/moderation/\(id)/appeal", [("text", "AppealQuokka it was a thank-you.")]) }
        let export = try await authorWeb.get("/account/export")
        #expect(export.body.contains("AnonStoryQuokka") && export.body.contains("OnlyMeJournalPelican"), "the author's export has everything")

        notificationIDs = try await author.get("/api/v1/notifications").ids + (try await bea.get("/api/v1/notifications").ids)
        #expect(notificationIDs.count >= 3)
        for person in [author, bea] {
            let groups = (try await person.get("/api/v2/notifications")["notification_groups"] as? [[String: Any]]) ?? []
            notificationGroupKeys += groups.compactMap { $0["group_key"] as? String }
        }
        #expect(!notificationGroupKeys.isEmpty)
        // The last thing to happen reaches every stream: listed, tagged, and a notification for bea.
        _ = try await carl.say("#\(hashtag) #MeToo \(endMarker)", [("in_reply_to_id", beaReplyID)])
        missingVoiceID = String((Int64(onlyMeID) ?? 0) ^ 1)
    }

    /// The people who walk every route: none of them may learn who the author is.
    func walkers() async throws -> [PrivacyWalker] {
        [
            PrivacyWalker(name: "signed out", browser: Browser(client)),
            PrivacyWalker(name: "bea on the web", browser: beaWeb),
            PrivacyWalker(name: "the moderator on the web", browser: moderatorWeb),
            PrivacyWalker(name: "bea's app", api: bea),
            PrivacyWalker(name: "the moderator's app", api: moderator),
            PrivacyWalker(name: "carl on the web", browser: carlWeb),
        ]
    }

    func authorWalker() -> PrivacyWalker { PrivacyWalker(name: "the author", browser: authorWeb, isAuthor: true) }
}

/// Server-Sent Event streams opened before anything happens, read once everything has.
struct PrivacyStreams {
    let readers: [(String, EventStreamReader)]

    /// What each stream received, read side by side (a stream that never hears the marker gives up after 10 seconds).
    func read(until marker: String) async -> [(String, String)] {
        await withTaskGroup(of: (String, String).self) { group in
            for (name, reader) in readers { group.addTask { (name, await reader.read(until: marker)) } }
            var out: [(String, String)] = []
            for await result in group { out.append(result) }
            return out
        }
    }
}

/// Mastodon's streaming WebSocket as bea's app, listening from before the setup until the end marker (or 20 seconds).
final class PrivacySocket: Sendable {
    final class Received: Sendable { let lines = Mutex<[String]>([]) }
    let received = Received()
    let task: Task<Void, Never>

    init(port: Int, token: String?, hashtag: String, until marker: String) {
        let received = received
        task = Task {
            try? await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/streaming?access_token=\(token ?? "")", logger: Logger(label: "privacy-ws")
            ) { inbound, outbound, _ in
                for stream in ["user", "user:notification", "public", "public:local"] {
                    try await outbound.writeTextMessage(#"{"type":"subscribe","stream":"\#(stream)"}"#)
                }
                try await outbound.writeTextMessage(#"{"type":"subscribe","stream":"hashtag","tag":"\#(hashtag)"}"#)
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    received.lines.withLock { $0.append(text) }
                    if text.contains(marker) { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
    }

    /// Everything received, once the marker came or 20 seconds passed.
    func messages() async -> String {
        let task = self.task
        let timeout = Task {
            try? await Task.sleep(for: .seconds(20))
            task.cancel()
        }
        await task.value
        timeout.cancel()
        return received.lines.withLock { $0.joined(separator: "\n") }
    }
}

/// Someone walking the routes: a browser with its cookies, or an app with its token.
struct PrivacyWalker {
    let name: String
    var browser: Browser?
    var api: MastodonClient?
    var isAuthor = false

    init(name: String, browser: Browser? = nil, api: MastodonClient? = nil, isAuthor: Bool = false) {
        self.name = name
        self.browser = browser
        self.api = api
        self.isAuthor = isAuthor
    }

    mutating func send(_ method: HTTPRequest.Method, _ path: String) async throws -> Browser.Page {
        if let api {
            let reply = try await api.request(
                method, path, body: method == .get ? nil : "", contentType: method == .get ? nil : "application/x-www-form-urlencoded")
            return Browser.Page(status: reply.status, headers: reply.headers, body: reply.body)
        }
        guard var browser else { throw HTTPError(.internalServerError) }
        defer { self.browser = browser }
        switch method {
        case .get: return try await browser.get(path)
        case .post: return try await browser.post(path, [])
        default:
            if browser.cookies["chorus_csrf"] == nil { try await browser.get("/") }
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            headers[.cookie] = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            let body = Browser.encode([("_csrf", browser.cookies["chorus_csrf"] ?? "")])
            let response = try await browser.client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body))
            return Browser.Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}

/// One request of the walk: a route with its parameters filled in.
struct PlannedRequest: Equatable {
    let method: HTTPRequest.Method
    let route: String
    let path: String
    /// What the id in the path is, for comparing an only-me voice with one that does not exist.
    let filledWith: String?
}

/// Every route of the router, filled with the real ids of the world, requested by each walker and checked.
struct PrivacyWalk {
    let world: PrivacyWorld
    let routes: [(method: HTTPRequest.Method, path: String)]
    var requests = 0
    var leaks: [String] = []
    var serverErrors: [String] = []
    var existenceTells: [String] = []
    var sightings: [String: Int] = [:]

    init(world: PrivacyWorld, routes: [(method: HTTPRequest.Method, path: String)]) {
        self.world = world
        self.routes = routes
    }

    /// With PRIVACY_WALK_TRACE set, each request is written to standard error as it is made.
    static func trace(_ line: String) {
        guard ProcessInfo.processInfo.environment["PRIVACY_WALK_TRACE"] != nil else { return }
        FileHandle.standardError.write(Data("walk: \(line)\n".utf8))
    }

    /// The router's own list of routes, built the way `buildApplication` builds it.
    static func routes(store: ChorusStore) async throws -> [(method: HTTPRequest.Method, path: String)] {
        let config = AppConfig(port: 0, bcryptCost: 4, logLevel: .warning)
        let services = ChorusServices(config: config, store: store, pages: try await Pages(config: config), live: LiveEvents(), screening: .shared)
        return try buildRouter(services).routes.map { ($0.method, $0.path.description) }
    }

    static func parameters(in path: String) -> [String] {
        path.matches(of: /\{([a-z_]+)\}/).map { String($0.1) }
    }

    /// What a path parameter stands for, by its name and the path before it; nil for one the walk does not know (the
    /// test then fails, so that a new route cannot skip the walk).
    static func kind(of parameter: String, in path: String) -> String? {
        let before = path.components(separatedBy: "{\(parameter)}")[0]
        switch parameter {
        case "handle": return "handle"
        case "tag", "hashtag": return "tag"
        case "country": return "country"
        case "index": return "index"
        case "group_key": return "notification group"
        case "name": return before == "/static/" ? "static" : before == "/api/v1/tags/" ? "tag" : nil
        case "id":
            switch before {
            case "/voices/", "/api/v1/statuses/", "/moderation/voices/": return "voice"
            case "/api/v1/accounts/": return "account"
            case "/api/v1/notifications/": return "notification"
            case "/moderation/reports/": return "report"
            case "/moderation/actions/", "/moderation/appeals/", "/account/moderation/": return "action"
            case "/account/exports/": return "archive"
            case "/account/apps/": return "app"
            default: return nil
            }
        default: return nil
        }
    }

    func values(for kind: String) -> [(String, String?)] {
        switch kind {
        case "handle": return [(world.authorHandle, "author"), ("bea_supporter", nil), ("nobody_here", nil)]
        case "tag": return [(world.hashtag, nil), ("MeToo", nil)]
        case "country": return [("GB", nil)]
        case "index": return [("0", nil)]
        case "static": return [("chorus.css", nil)]
        case "voice":
            return [
                (world.anonymousID, "anonymous"), (world.onlyMeID, "only-me"), (world.authorReplyID, "anonymous reply"), (world.beaReplyID, nil),
                (world.missingVoiceID, "missing"),
            ]
        case "account": return [(world.author.accountID, "author"), (world.bea.accountID, nil), ("1", nil)]
        case "notification": return world.notificationIDs.map { ($0, nil) } + [("1", nil)]
        case "report": return world.reportIDs.map { ($0, nil) } + [("1", nil)]
        case "action": return world.actionIDs.map { ($0, nil) } + [("1", nil)]
        case "notification group": return world.notificationGroupKeys.map { ($0, nil) } + [("favourite-1", nil)]
        case "archive", "app": return [("1", nil), ("2", nil)]
        default: return []
        }
    }

    /// Query strings that make a route show more than its empty default: searches for the author and their words.
    func queries(for route: String) -> [String] {
        switch route {
        case "/api/v2/search":
            return [
                "?q=\(world.authorHandle)", "?q=AnonStoryQuokka", "?q=OnlyMeJournalPelican", "?q=%23\(world.hashtag)&type=hashtags", "?q=Vantablack",
            ]
        case "/api/v1/accounts/search": return ["?q=\(world.authorHandle)", "?q=Vantablack", "?q=marg"]
        case "/api/v1/accounts/lookup": return ["?acct=\(world.authorHandle)", "?acct=bea_supporter"]
        case "/api/v1/accounts/relationships": return ["?id[]=\(world.author.accountID)&id[]=\(world.bea.accountID)"]
        case "/report":
            return ["?voice=\(world.anonymousID)", "?voice=\(world.onlyMeID)", "?voice=\(world.missingVoiceID)", "?account=bea_supporter"]
        case "/api/v1/notifications": return ["", "?limit=1", "?types[]=favourite", "?types[]=mention"]
        case "/api/v1/timelines/public", "/api/v1/timelines/home", "/voices", "/api/v1/favourites":
            return ["", "?limit=1", "?max_id=\(world.authorReplyID)", "?min_id=\(world.onlyMeID)"]
        case "/api/v1/trends/tags", "/api/v1/trends", "/api/v1/trends/statuses": return ["", "?limit=40"]
        default: return [""]
        }
    }

    /// The routes that answer with a stream that never ends: their events are read by `PrivacyStreams` instead.
    static let knownStreams: Set<String> = [
        "/api/v1/streaming/public", "/api/v1/streaming/public/local", "/api/v1/streaming/hashtag", "/api/v1/streaming/hashtag/local",
        "/api/v1/streaming/user", "/api/v1/streaming/user/notification", "/magnitude/live",
    ]

    /// The GET routes that answer with `text/event-stream`, found by asking each one over a plain socket.
    static func streamingRoutes(_ routes: [(method: HTTPRequest.Method, path: String)], port: Int, token: String?) async throws -> [String] {
        var found: [String] = []
        for route in routes where route.method == .get && parameters(in: route.path).isEmpty {
            let path = route.path + (route.path.contains("hashtag") ? "?tag=MeToo" : "")
            for token in [nil, token] {
                let reader = try EventStreamReader(port: port, path: path, token: token)
                let head = await reader.read(until: "\r\n\r\n").lowercased()
                if head.contains("content-type: text/event-stream") {
                    found.append(route.path)
                    break
                }
            }
        }
        return found
    }

    /// Every route with its parameters filled; reads first, then writes, and the ones that end a session last.
    mutating func plan() throws -> [PlannedRequest] {
        var out: [PlannedRequest] = []
        for route in routes {
            var paths: [(String, String?)] = [(route.path, nil)]
            for parameter in Self.parameters(in: route.path) {
                guard let kind = Self.kind(of: parameter, in: route.path) else {
                    throw HTTPError(.internalServerError, message: "The privacy walk cannot fill {\(parameter)} in \(route.path)")
                }
                paths = paths.flatMap { (path: String, filled: String?) in
                    values(for: kind).map { (value: String, label: String?) -> (String, String?) in
                        (
                            path.replacingOccurrences(of: "{\(parameter)}", with: value),
                            ["voice", "handle", "account"].contains(kind) ? label : filled
                        )
                    }
                }
            }
            for (path, filled) in paths {
                for query in queries(for: route.path) {
                    var filled = filled
                    if query.contains(world.onlyMeID) { filled = "only-me" } else if query.contains(world.missingVoiceID) { filled = "missing" }
                    out.append(PlannedRequest(method: route.method, route: route.path, path: path + query, filledWith: filled))
                }
            }
        }
        let endsSession = ["/signout", "/account/delete", "/oauth/revoke", "/account/password", "/account/recovery-codes"]
        return out.sorted { a, b in
            func rank(_ request: PlannedRequest) -> Int {
                endsSession.contains(request.route) ? 2 : request.method == .get ? 0 : 1
            }
            return (rank(a), a.route, a.path) < (rank(b), b.route, b.path)
        }
    }

    mutating func walk(_ plan: [PlannedRequest], as walker: PrivacyWalker) async throws {
        var walker = walker
        try await walk(plan, as: &walker, checking: true)
    }

    /// Requests every planned path (and the pages its `Link` header points to) and checks each answer.
    mutating func walk(_ plan: [PlannedRequest], as walker: inout PrivacyWalker, checking: Bool) async throws {
        var byRequest: [String: Browser.Page] = [:]
        for request in plan {
            PrivacyWalk.trace("\(request.method) \(request.path) as \(walker.name)")
            let page = try await walker.send(request.method, request.path)
            requests += 1
            let label = "\(request.method) \(request.path) as \(walker.name)"
            if page.status.code >= 500 { serverErrors.append("\(label): \(page.status.code)") }
            if walker.isAuthor {
                if page.body.contains("OnlyMeJournalPelican") { sightings["only-me text seen by its author", default: 0] += 1 }
                continue
            }
            check(page, label: label, request: request, walker: walker)
            if let filled = request.filledWith {
                let shape = request.path.replacingOccurrences(of: world.onlyMeID, with: "{id}").replacingOccurrences(
                    of: world.missingVoiceID, with: "{id}")
                byRequest["\(request.method) \(shape) [\(filled)]"] = page
            }
            for link in Self.links(in: page.headers[.link] ?? "") where request.method == .get {
                let next = try await walker.send(.get, link)
                requests += 1
                let followed = PlannedRequest(method: .get, route: request.route, path: link, filledWith: request.filledWith)
                check(next, label: "GET \(link) (followed from \(label))", request: followed, walker: walker)
            }
        }
        guard checking, !walker.isAuthor else { return }
        // An only-me voice answers exactly as a voice that does not exist: its existence is nobody else's business.
        for (key, page) in byRequest where key.hasSuffix("[only-me]") {
            guard let missing = byRequest[key.replacingOccurrences(of: "[only-me]", with: "[missing]")] else { continue }
            sightings["only-me and missing voices compared", default: 0] += 1
            let onlyMe = Self.comparable(page, replacing: world.onlyMeID)
            let absent = Self.comparable(missing, replacing: world.missingVoiceID)
            if onlyMe != absent {
                existenceTells.append(
                    "\(key) as \(walker.name): \(page.status.code) vs \(missing.status.code) \(Self.firstDifference(onlyMe, absent))")
            }
        }
    }

    /// The checks for one answer someone other than the author received.
    mutating func check(_ page: Browser.Page, label: String, request: PlannedRequest, walker: PrivacyWalker) {
        // What the request itself asked for (a search's words, echoed in a `Link` header) is not something the answer revealed.
        var text = Self.haystack(page)
        for echo in Self.queryValues(request.path) { text = text.replacingOccurrences(of: echo, with: "{asked}") }
        // Bea follows the author's public account: her own export lists whom she follows, as it should.
        let ownFollows = request.route == "/account/export" && walker.name.hasPrefix("bea")
        let aboutAuthor =
            ownFollows || request.filledWith == "author"
            || [world.authorHandle.lowercased(), world.author.accountID, "vantablack", "=marg"].contains { request.path.lowercased().contains($0) }
        for secret in world.onlyMeSecrets where text.contains(secret.value.lowercased()) {
            leaks.append("\(label) shows \(secret.label)")
        }
        if aboutAuthor {
            if text.contains(world.authorHandle.lowercased()) { sightings["author named on their own profile", default: 0] += 1 }
            for secret in world.anonymousSecrets where !ownFollows && text.contains(secret.value.lowercased()) {
                leaks.append("\(label) (about the author) shows \(secret.label)")
            }
        } else {
            if text.contains("anonstoryquokka") { sightings["anonymous text seen by others", default: 0] += 1 }
            for secret in world.authorSecrets where text.contains(secret.value.lowercased()) {
                leaks.append("\(label) shows \(secret.label)")
            }
        }
    }

    /// The values in a path's query string, lower-cased, as sent and decoded.
    static func queryValues(_ path: String) -> [String] {
        guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").flatMap { pair -> [String] in
            guard let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first, value.count > 4 else { return [] }
            return [String(value).lowercased(), (String(value).removingPercentEncoding ?? "").lowercased()]
        }
    }

    /// The body and every header but cookies and the date, lower-cased.
    static func haystack(_ page: Browser.Page) -> String {
        var text = page.body
        for field in page.headers where field.name != .setCookie && field.name != .date { text += "\n\(field.name): \(field.value)" }
        return text.lowercased()
    }

    /// An answer with what differs between any two requests taken out: the id asked for, tokens and times.
    static func comparable(_ page: Browser.Page, replacing id: String) -> String {
        "\(page.status.code)\n" + comparable(haystack(page).replacingOccurrences(of: id, with: "{id}"))
    }

    static func comparable(_ text: String) -> String {
        text.replacing(/name="_csrf" value="[^"]*"/, with: "csrf").replacing(/content="[0-9a-f]{16,}"/, with: "token")
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let index = zip(a, b).prefix { $0 == $1 }.count
        return "«\(a.dropFirst(max(0, index - 40)).prefix(120))» vs «\(b.dropFirst(max(0, index - 40)).prefix(120))»"
    }

    /// The paths a `Link` header points to.
    static func links(in header: String) -> [String] {
        header.matches(of: /<([^>]+)>/).compactMap { match in
            guard let url = URL(string: String(match.1)) else { return nil }
            return url.path + (url.query.map { "?" + $0 } ?? "")
        }
    }
}
