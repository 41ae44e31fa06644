import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// The totals are kept as voices are written; these are the rules a person can rely on.
@Suite struct CountingTests {
    func person(_ store: ChorusStore, _ handle: String) async throws -> Account {
        try await store.createAccount(handle: try Handle(handle), passwordHash: "x", recoveryCodes: [])
    }

    @Test func eachPersonCountsOnceHoweverManyStories() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        // act
        _ = try await store.say(VoiceDraft(kind: .meToo, text: ""), by: ana.id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "It happened at work. #MeToo"), by: ana.id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id)
        // check
        #expect(try await store.magnitude().meTooPeople == 2)
        await store.shutdown()
    }

    @Test func anonymousAndOnlyMeCountExactlyLikePublic() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        let cleo = try await person(store, "cleo")
        // act
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .public), by: ana.id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .anonymous), by: bea.id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .onlyMe), by: cleo.id)
        // check
        #expect(try await store.magnitude().meTooPeople == 3)
        await store.shutdown()
    }

    @Test func deletingTheLastVoiceTakesThePersonOutOfTheTotal() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let first = try await store.say(VoiceDraft(kind: .meToo, text: "one"), by: ana.id)
        let second = try await store.say(VoiceDraft(kind: .meToo, text: "two"), by: ana.id)
        // act
        try await store.deleteVoice(id: first.voice.id, by: ana.id)
        let afterOne = try await store.magnitude().meTooPeople
        try await store.deleteVoice(id: second.voice.id, by: ana.id)
        // check
        #expect(afterOne == 1)
        #expect(try await store.magnitude().meTooPeople == 0)
        await store.shutdown()
    }

    @Test func beliefIsOncePerAccountAndCanBeTakenBack() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: ana.id).voice
        // act
        let believed = try await store.believe(voiceID: voice.id, by: bea.id)
        await #expect(throws: Refusal.self) { try await store.believe(voiceID: voice.id, by: bea.id) }
        let takenBack = try await store.unbelieve(voiceID: voice.id, by: bea.id)
        // check
        #expect(believed.believeCount == 1)
        #expect(believed.readerBelieves)
        #expect(takenBack.believeCount == 0)
        #expect(try await store.magnitude().beliefs == 0)
        await store.shutdown()
    }

    @Test func deletedVoiceTakesItsBeliefsAndPledgesOutOfTheTotals() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: ana.id).voice
        _ = try await store.believe(voiceID: voice.id, by: bea.id)
        let pledge = try await store.say(VoiceDraft(kind: .pledge, text: "I will listen. #IWill"), by: bea.id).voice
        // act
        try await store.deleteVoice(id: voice.id, by: ana.id)
        try await store.deleteVoice(id: pledge.id, by: bea.id)
        // check
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 0, beliefs: 0, pledges: 0))
        await store.shutdown()
    }

    @Test func nobodyCanDeleteAnotherPersonsVoice() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "mine"), by: ana.id).voice
        // act
        await #expect(throws: Refusal.self) { try await store.deleteVoice(id: voice.id, by: bea.id) }
        // check
        #expect(try await store.voice(id: voice.id, viewer: nil) != nil)
        await store.shutdown()
    }

    @Test func statusesCountFollowsWhatOthersMaySee() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await person(store, "ana")
        let bea = try await person(store, "bea")
        let mod = try await store.createAccount(handle: try Handle("mod"), passwordHash: "x", recoveryCodes: [], isModerator: true)
        func shown(_ account: Account) async throws -> Int? { try await store.accountSummaries(ids: [account.id])[account.id]?.statuses }
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id).voice
        // act
        let story = try await store.say(VoiceDraft(kind: .meToo, text: "It happened at work. #MeToo"), by: ana.id).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .anonymous), by: ana.id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .onlyMe), by: ana.id)
        _ = try await store.say(VoiceDraft(kind: .pledge, text: "I will listen. #IWill"), by: ana.id)
        let reply = try await store.say(VoiceDraft(kind: .reply, text: "I believe you", inReplyTo: root.id), by: ana.id).voice
        let held = try await store.say(
            VoiceDraft(kind: .reply, text: "Why didn't you leave?", inReplyTo: root.id), by: ana.id,
            screening: VoiceScreening(state: .held, guardLabel: "why_question")
        ).voice
        let written = try await shown(ana)
        _ = try await store.rewriteHeldReply(id: held.id, text: "I am so sorry. I believe you.", screening: .clear, by: ana.id)
        let rewritten = try await shown(ana)
        let hidden = try await store.act(try ModerationDecision(action: .hide, rule: "2", reason: "test"), on: .voice(reply.id), by: mod.id)
        let afterHide = try await shown(ana)
        try await store.act(try ModerationDecision(action: .restore, rule: "2", reason: "test"), on: .action(hidden.actionID), by: mod.id)
        let afterRestore = try await shown(ana)
        try await store.deleteVoice(id: story.id, by: ana.id)
        let afterDelete = try await shown(ana)
        try await store.deleteVoice(id: root.id, by: bea.id)  // her thread goes, with ana's two replies in it
        let afterThread = try await shown(ana)
        try await store.rebuildMagnitude()
        let afterRecount = try await shown(ana)
        // check
        #expect(written == 3)  // the public story, the pledge and the visible reply: not the anonymous, private or held ones
        #expect(rewritten == 4)
        #expect(afterHide == 3)
        #expect(afterRestore == 4)
        #expect(afterDelete == 3)
        #expect(afterThread == 1)
        #expect(afterRecount == 1)
        #expect(try await shown(bea) == 0)
        await store.shutdown()
    }
}
