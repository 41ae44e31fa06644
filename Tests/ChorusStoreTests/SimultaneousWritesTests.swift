import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import SQLKit
import Testing

/// Two people doing the same thing at the same moment, as happens with several instances on PostgreSQL (writes there
/// run side by side; SQLite's one writer runs them in turn): exactly one of them takes effect, and every count stays
/// right.
@Suite struct SimultaneousWritesTests {
    /// Runs `work` `times` times at once and returns how many succeeded and how many were refused.
    static func atOnce(_ times: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async -> (done: Int, refused: Int) {
        await withTaskGroup(of: Bool.self) { group in
            for index in 0..<times { group.addTask { (try? await work(index)) != nil } }
            var done = 0
            for await succeeded in group where succeeded { done += 1 }
            return (done, times - done)
        }
    }

    /// One key sent by several requests at once writes one voice; the others find it. A key an earlier request
    /// reserved and never used (one that died) is free again.
    @Test func requestsWithOneIdempotencyKeyAtOnceWriteOneVoice() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await ModerationStoreTests.people(store, "ana")[0]
        try await store.database.write { db in
            try await db.raw(
                "INSERT INTO idempotency_keys (account_id, key_hash, voice_id, created_at) VALUES (\(bind: ana.id), \(bind: ChorusStore.digest("died")), NULL, \(bind: ChorusDatabase.now()))"
            ).run()
        }
        let replays = Counter()
        // act
        let outcome = await Self.atOnce(6) { _ in
            do {
                _ = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo once"), by: ana.id, idempotencyKey: "same-key")
            } catch let replay as IdempotentReplay {
                if replay.voiceID != nil { await replays.add() }
                throw replay
            }
        }
        let afterDeath = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo after"), by: ana.id, idempotencyKey: "died")
        // check
        #expect(outcome.done == 1)
        #expect(await replays.value == 5)
        #expect(try await store.ownVoices(accountID: ana.id).map(\.text).sorted() == ["#MeToo after", "#MeToo once"])
        #expect(afterDeath.voice.text == "#MeToo after")
        await store.shutdown()
    }

    /// One account's belief given and taken back at the same moment, over and over (a double tap, two apps): the
    /// count always equals the beliefs there are.
    @Test func aBeliefGivenAndTakenBackAtOnceKeepsTheCountRight() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        // act
        for _ in 0..<15 {
            _ = await Self.atOnce(2) { index in
                if index == 0 {
                    _ = try await store.believe(voiceID: voice.id, by: people[1].id)
                } else {
                    _ = try await store.unbelieve(voiceID: voice.id, by: people[1].id)
                }
            }
        }
        // check
        let rows = try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM beliefs WHERE voice_id = \(bind: voice.id)").first()?.decode(column: "n", as: Int.self)
        }
        #expect(try await store.voice(id: voice.id, viewer: nil)?.believeCount == rows)
        #expect(try await store.magnitude().beliefs == rows)
        await store.shutdown()
    }

    actor Counter {
        var value = 0
        func add() { value += 1 }
    }

    @Test func twoModeratorsHidingOneReplyHideItOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "mod1", "mod2")
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        let reply = try await store.say(VoiceDraft(kind: .reply, text: "so what", inReplyTo: root.id), by: people[1].id).voice
        let hide = try ModerationDecision(action: .hide, rule: "2", reason: "test")
        // act
        let outcome = await Self.atOnce(4) { index in
            try await store.act(hide, on: .voice(reply.id), by: people[2 + index % 2].id)
        }
        // check
        #expect(outcome.done == 1)
        #expect(try await store.voice(id: root.id, viewer: nil)?.replyCount == 0)
        await store.shutdown()
    }

    @Test func anApprovalAndARejectionAtOnceDecideTheHeldReplyOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "mod1", "mod2")
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        let held = try await store.say(
            VoiceDraft(kind: .reply, text: "pics or it didn't happen", inReplyTo: root.id), by: people[1].id,
            screening: VoiceScreening(state: .held, guardLabel: "disbelief")
        ).voice
        let approve = try ModerationDecision(action: .approve, rule: "1", reason: "test")
        let reject = try ModerationDecision(action: .reject, rule: "2", reason: "test")
        // act
        let outcome = await Self.atOnce(4) { index in
            try await store.act(index % 2 == 0 ? approve : reject, on: .voice(held.id), by: people[2 + index % 2].id)
        }
        // check
        #expect(outcome.done == 1)
        let shown = try await store.voice(id: root.id, viewer: nil)?.replyCount
        #expect(shown == 0 || shown == 1)
        await store.shutdown()
    }

    /// A block on a profile ends following both ways, also when the follow is sent at the same moment: one runs after
    /// the other, and no follow outlives the block.
    @Test func aFollowSentAsABlockIsMadeNeverOutlivesIt() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "carl", "dan", "eve", "fay", "gil", "hal")
        let blocker = people[0]
        // act: seven people follow ana just as she blocks each of them
        let outcome = await Self.atOnce(14) { index in
            let other = people[1 + index / 2]
            if index % 2 == 0 {
                try await store.follow(blocker.id, by: other.id)
            } else {
                try await store.block(accountID: other.id, by: blocker.id)
            }
        }
        // check: every block was made; no follow was kept past one
        #expect(outcome.done >= 7)
        for other in people.dropFirst() {
            #expect(try await store.follows(blocker.id, by: other.id) == false, "\(other.handle)")
            #expect(try await store.boundaries(towards: other.id, from: blocker.id).blocked)
        }
        await store.shutdown()
    }

    @Test func aVoiceDeletedTwiceAtOnceLeavesTheTotalsOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "carl")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[1].id)
        _ = try await store.believe(voiceID: voice.id, by: people[2].id)
        // act
        let outcome = await Self.atOnce(4) { _ in try await store.deleteVoice(id: voice.id, by: people[0].id) }
        // check
        #expect(outcome.done >= 1)
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 1, beliefs: 0, pledges: 0))
        await store.shutdown()
    }

    @Test func repliesAndBeliefsSentAsAThreadIsDeletedGoWithIt() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "carl", "dan")
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        // act
        _ = await Self.atOnce(9) { index in
            switch index {
            case 0: try await store.deleteVoice(id: root.id, by: people[0].id)
            case 1...4: _ = try await store.say(VoiceDraft(kind: .reply, text: "I believe you \(index)", inReplyTo: root.id), by: people[1].id)
            default: _ = try await store.believe(voiceID: root.id, by: people[1 + (index - 5) % 3].id)
            }
        }
        // check: nothing of the thread is left, and the totals hold nothing of it
        #expect(try await store.voice(id: root.id, viewer: nil) == nil)
        #expect(try await store.newestVoices(viewer: nil).isEmpty)
        #expect(try await store.ownVoices(accountID: people[1].id).isEmpty)
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 0, beliefs: 0, pledges: 0))
        await store.shutdown()
    }

    @Test func oneHandleSignedUpManyTimesAtOnceIsTakenOnce() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act
        let outcome = await Self.atOnce(6) { _ in
            _ = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: ["a-b-c"])
        }
        // check
        #expect(outcome.done == 1)
        await #expect(throws: Refusal(.conflict, "The handle @ana is taken. Try another one.")) {
            _ = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        }
        await store.shutdown()
    }

    @Test func twoEditsOfTheHelpDirectoryAtOnceAreBothKept() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act
        let outcome = await Self.atOnce(2) { index in
            try await store.updateHelpDirectory { directory in
                try ResourceDirectory.editing(directory, country: index == 0 ? "FR" : "DE", emergency: index == 0 ? "15" : "110")
            }
        }
        // check
        let stored = try #require(try await store.helpDirectory())
        #expect(outcome.done == 2)
        #expect(stored.help(for: "FR").emergency == "15")
        #expect(stored.help(for: "DE").emergency == "110")
        await store.shutdown()
    }
}

extension ResourceDirectory {
    /// The directory with one country's emergency number changed (through its JSON, as a moderator's edit is checked).
    static func editing(_ directory: ResourceDirectory, country: String, emergency: String) throws -> ResourceDirectory {
        let countries = directory.countries.map { help in
            help.code == country ? CountryHelp(code: help.code, name: help.name, emergency: emergency, resources: help.resources) : help
        }
        return try ResourceDirectory.load(from: try JSONEncoder().encode(ResourceDirectory(countries: countries)))
    }
}
