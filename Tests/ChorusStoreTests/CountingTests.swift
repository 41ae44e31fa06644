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
        let last = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id)
        // check
        #expect(last.magnitude.meTooPeople == 2)
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
}
