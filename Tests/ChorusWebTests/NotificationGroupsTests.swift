import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The survivor is not flooded: beliefs and replies about one voice are one entry on the notifications page and one
/// group in Mastodon's grouped API (the v1 list stays individual), held replies never notify, and live pushes about
/// one voice are coalesced.
@Suite struct NotificationGroupsTests {
    /// Signs up `count` people who each believe `voice`; returns their browsers.
    func believers(_ client: any TestClientProtocol, _ count: Int, voice: String, prefix: String = "p") async throws -> [Browser] {
        var people: [Browser] = []
        for index in 0..<count {
            var person = Browser(client)
            try await person.signUp("\(prefix)\(index)")
            people.append(person)
        }
        for index in people.indices { _ = try await people[index].post("/voices/\(voice)/believe", []) }
        return people
    }

    static func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func notificationsPageShowsOneLinePerVoiceAndHeldRepliesNeverNotify() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let account = try #require(try await setup.store.account(handle: "ana"))
            let voice = try #require(try await ana.sayMeToo("me too, it happened at work").1)
            let other = try #require(try await ana.sayMeToo("and once before", warning: "workplace").1)
            var people = try await believers(client, 12, voice: voice)
            _ = try await people[0].post("/voices/\(other)/believe", [])
            for index in 0..<3 { _ = try await people[index].post("/voices/\(voice)/reply", [("text", "I believe you. You are not alone.")]) }
            let held = try await people[3].post("/voices/\(voice)/reply", [("text", "Why didn't you leave? Why did you wait so long?")])
            // act
            let page = try await ana.get("/notifications")
            // check
            #expect(page.status == .ok)
            #expect(held.status == .accepted)
            #expect(try await setup.store.heldReplyCount(threadRoot: Int64(voice) ?? 0, owner: account.id) == 1)
            #expect(Self.occurrences(of: "class=\"notification notification-", in: page.body) == 3)
            #expect(Self.occurrences(of: "12 people believe you", in: page.body) == 1)
            #expect(Self.occurrences(of: "3 replies to your voice", in: page.body) == 1)
            #expect(page.body.contains("p0 believes you"))
            #expect(page.body.contains("workplace"))
            #expect(!page.body.contains("and once before"))
            #expect(!page.body.contains("Why didn"))
            var visitor = Browser(client)
            #expect(try await visitor.get("/notifications").status != .ok)
        }
        await setup.store.shutdown()
    }

    @Test func groupedNotificationsAPIGroupsBeliefsPerVoiceAndV1StaysIndividual() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let voice = try await ana.say("#MeToo")["id"] as? String ?? ""
            var people = try await believers(client, 10, voice: voice)
            let bea = try await MastodonClient.signedUp(client, "bea")
            _ = try await bea.say("I believe you.", [("in_reply_to_id", voice)])
            _ = try await bea.say("Still here with you.", [("in_reply_to_id", voice)])
            _ = try await people[0].post("/@ana/follow", [])
            // act
            let individual = try await ana.get("/api/v1/notifications?limit=40")
            let grouped = try await ana.get("/api/v2/notifications")
            let withMentions = try await ana.get("/api/v2/notifications?grouped_types[]=favourite&grouped_types[]=mention")
            let groups = grouped.object["notification_groups"] as? [[String: Any]] ?? []
            let favourite = try #require(groups.first { $0["type"] as? String == "favourite" })
            let key = favourite["group_key"] as? String ?? ""
            let one = try await ana.get("/api/v2/notifications/\(key)")
            let accounts = try await ana.get("/api/v2/notifications/\(key)/accounts")
            let othersView = try await bea.get("/api/v2/notifications/\(key)")
            let dismissed = try await ana.post("/api/v2/notifications/\(key)/dismiss")
            let afterDismiss = try await ana.get("/api/v1/notifications?limit=40")
            let missing = try await ana.get("/api/v2/notifications/favourite-123")
            let unread = try await ana.get("/api/v2/notifications/unread_count")
            let firstPage = try await ana.get("/api/v2/notifications?limit=1")
            let next = try #require(
                firstPage.headers[HTTPField.Name("Link")!]?.components(separatedBy: "<").dropFirst().first?.components(separatedBy: ">").first)
            let nextURL = try #require(URLComponents(string: next))
            let secondPage = try await ana.get(nextURL.percentEncodedPath + "?" + (nextURL.percentEncodedQuery ?? ""))
            // check
            #expect(individual.list.count == 13)
            #expect(individual.list.filter { $0["type"] as? String == "favourite" }.allSatisfy { $0["group_key"] as? String == key })
            #expect(groups.compactMap { $0["type"] as? String } == ["follow", "mention", "mention", "favourite"])
            #expect(favourite["notifications_count"] as? Int == 10)
            #expect((favourite["sample_account_ids"] as? [String])?.count == 8)
            #expect(favourite["status_id"] as? String == voice)
            #expect(favourite["most_recent_notification_id"] as? String != nil)
            let statusIDs = (grouped.object["statuses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(statusIDs.count == 3)
            #expect(statusIDs.contains(voice))
            #expect((grouped.object["accounts"] as? [[String: Any]])?.count == 10)
            #expect(grouped.headers[HTTPField.Name("Link")!]?.contains("max_id=") == true)
            let mentionGroups = (withMentions.object["notification_groups"] as? [[String: Any]] ?? []).compactMap { group -> (Int, String)? in
                guard let type = group["type"] as? String, type == "mention" else { return nil }
                return (group["notifications_count"] as? Int ?? 0, group["group_key"] as? String ?? "")
            }
            #expect(mentionGroups.count == 1)
            #expect(mentionGroups.first?.0 == 2)
            #expect(mentionGroups.first?.1 == "mention-\(voice)")
            #expect((one.object["notification_groups"] as? [[String: Any]])?.first?["notifications_count"] as? Int == 10)
            #expect(accounts.list.count == 10)
            #expect(othersView.status == .notFound)
            #expect(dismissed.status == .ok)
            #expect(afterDismiss.list.compactMap { $0["type"] as? String } == ["follow", "mention", "mention"])
            #expect(missing.status == .notFound)
            #expect(unread["count"] as? Int == 0)
            let firstTypes = (firstPage.object["notification_groups"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            let secondTypes = (secondPage.object["notification_groups"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(firstTypes == ["follow"])
            #expect(secondTypes == ["mention"])
        }
    }

    @Test func aFloodOfBeliefsBuzzesTheSurvivorOncePerVoicePerWindow() async throws {
        // setup
        let app = try await makeApp { config in
            // Long enough that eight beliefs fit in the window on a loaded machine.
            config.notificationPushWindow = .seconds(10)
            config.streamHeartbeat = .milliseconds(250)
        }
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let voice = try await ana.say("#MeToo")["id"] as? String ?? ""
            let port = try #require(client.port)
            let stream = try EventStreamReader(port: port, path: "/api/v1/streaming/user/notification", token: ana.token)
            _ = await stream.read(until: ":)")
            var people: [Browser] = []
            for index in 0..<8 {
                var person = Browser(client)
                try await person.signUp("p\(index)")
                people.append(person)
            }
            // act: eight beliefs at once, then quiet past the window, then a follow (another group)
            let firstBelief = ContinuousClock.now
            for index in people.indices { _ = try await people[index].post("/voices/\(voice)/believe", []) }
            let tookSeconds = (ContinuousClock.now - firstBelief).components.seconds
            try await Task.sleep(until: firstBelief + .seconds(10) + .milliseconds(800))
            _ = try await people[0].post("/@ana/follow", [])
            let received = await stream.read(until: "\"type\":\"follow\"")
            let list = try await ana.get("/api/v1/notifications?limit=40")
            // check: the first belief at once, the newest of the rest when the window ended, the follow at once
            try #require(tookSeconds < 10, "the eight beliefs took \(tookSeconds) s, longer than the window")
            #expect(Self.occurrences(of: "event: notification", in: received) == 3)
            #expect(Self.occurrences(of: "\"type\":\"favourite\"", in: received) == 2)
            let newestBelief = list.list.first { $0["type"] as? String == "favourite" }
            let newestID = try #require(newestBelief?["id"] as? String)
            #expect(received.contains("\"id\":\"\(newestID)\""))
            #expect(list.list.filter { $0["type"] as? String == "favourite" }.count == 8)
        }
    }

    @Test func deletedAccountVanishesAtOnceAndItsRowsGoWithTheJob() async throws {
        // setup: no worker in this instance, so the job waits for the test
        let setup = try await makeAppWithStore { config in config.runsJobs = false }
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voice = try #require(try await ana.sayMeToo("erase me now").1)
            // act
            let deleted = try await ana.post("/account/delete", [("voices", "erase"), ("password", "correct horse battery")])
            var visitor = Browser(client)
            let list = try await visitor.get("/voices")
            let thread = try await visitor.get("/voices/\(voice)")
            let api = try await MastodonClient(client).get("/api/v1/statuses/\(voice)")
            var again = Browser(client)
            let signIn = try await again.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let queued = try await setup.store.jobCounts(kind: ChorusStore.JobKind.eraseAccount)
            try await setup.store.runPendingJobs()
            // check
            #expect(deleted.status == .ok)
            #expect(!list.body.contains("erase me now"))
            #expect(thread.status == .notFound)
            #expect(api.status == .notFound)
            #expect(signIn.status != .seeOther)
            #expect(queued == [.queued: 1])
            #expect(try await setup.store.jobCounts(kind: ChorusStore.JobKind.eraseAccount) == [.done: 1])
            #expect(try await setup.store.voice(id: Int64(voice) ?? 0, viewer: nil) == nil)
        }
        await setup.store.shutdown()
    }
}

/// A person's archive, prepared by a job and downloaded from the settings page; the download at once still works.
@Suite struct DataArchiveTests {
    @Test func archiveIsPreparedThenDownloadedFromTheSettingsPage() async throws {
        // setup: no worker in this instance, so the test decides when the job runs
        let setup = try await makeAppWithStore { config in config.runsJobs = false }
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            _ = try await ana.sayMeToo("kept in my archive")
            // act
            let asked = try await ana.post("/account/exports", [])
            let preparing = try await ana.get("/account")
            try await setup.store.runPendingJobs()
            let ready = try await ana.get("/account")
            let link = try #require(
                ready.body.range(of: #"/account/exports/\d+"#, options: .regularExpression).map { String(ready.body[$0]) })
            let download = try await ana.get(link)
            var bea = Browser(client)
            try await bea.signUp("bea")
            let byBea = try await bea.get(link)
            let atOnce = try await ana.get("/account/export")
            var answers: [HTTPResponse.Status] = []
            for _ in 0..<5 { answers.append(try await ana.post("/account/exports", []).status) }
            // check
            #expect(asked.status == .accepted)
            #expect(asked.body.contains("We are preparing your archive"))
            #expect(preparing.body.contains("We are preparing your archive. It is usually ready"))
            #expect(ready.body.contains("Download your archive"))
            #expect(ready.body.contains("available until"))
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("attachment") == true)
            let archive = try JSONSerialization.jsonObject(with: Data(download.body.utf8)) as? [String: Any]
            #expect((archive?["voices"] as? [[String: Any]])?.count == 1)
            #expect(byBea.status == .notFound)
            #expect(byBea.body.contains("no longer here"))
            #expect(atOnce.status == .ok)
            #expect(atOnce.body.contains("kept in my archive"))
            #expect(answers == [.accepted, .accepted, .accepted, .accepted, .tooManyRequests])
        }
        await setup.store.shutdown()
    }
}
