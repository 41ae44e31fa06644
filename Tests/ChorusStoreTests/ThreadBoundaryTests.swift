import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// What a survivor chose for a thread holds for every way into it, and nothing about it tells anyone who wrote an
/// anonymous voice.
@Suite struct ThreadBoundaryTests {
    static let supportive = "I believe you. You are not alone."

    @Test func nobodyClosesTheWholeThreadToRepliesToRepliesAndToRewrittenHeldReplies() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "carl")
        let (ana, bea, carl) = (people[0], people[1], people[2])
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo it was my boss"), by: ana.id).voice
        let answer = try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: root.id), by: bea.id).voice
        let held = try await store.say(
            VoiceDraft(kind: .reply, text: "Why didn't you go to the police?", inReplyTo: root.id), by: bea.id,
            screening: VoiceScreening(state: .held, guardLabel: "why_question")
        ).voice
        // act
        _ = try await store.setReplyPolicy(.nobody, voiceID: root.id, by: ana.id)
        let toTheReply = await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: answer.id), by: carl.id)
        }
        let rewrite = await #expect(throws: Refusal.self) {
            try await store.rewriteHeldReply(id: held.id, text: Self.supportive, screening: .clear, by: bea.id)
        }
        let toTheHeldReply = await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: "and another thing", inReplyTo: held.id), by: bea.id)
        }
        let byTheSurvivor = try await store.say(VoiceDraft(kind: .reply, text: "Thank you.", inReplyTo: answer.id), by: ana.id).voice
        // check
        #expect(toTheReply?.kind == .unprocessable)
        #expect(toTheReply?.description == ReplyPolicy.nobody.refusal)
        #expect(rewrite?.kind == .unprocessable)
        #expect(toTheHeldReply?.kind == .unprocessable)
        #expect(byTheSurvivor.threadRoot == root.id)
        let seen = try await store.thread(rootID: root.id, viewer: nil).map(\.id)
        #expect(seen == [root.id, answer.id, byTheSurvivor.id])
        #expect(try await store.voice(id: held.id, viewer: bea.id)?.state == .held)
        await store.shutdown()
    }

    @Test func aNoteUnderOnesOwnJournalEntryStaysOnlyMe() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea")
        let (ana, bea) = (people[0], people[1])
        let entry = try await store.say(VoiceDraft(kind: .meToo, text: "my private journal entry", visibility: .onlyMe), by: ana.id).voice
        // act
        let note = try await store.say(VoiceDraft(kind: .reply, text: "note to self: call my sister", inReplyTo: entry.id), by: ana.id).voice
        let byOther = await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: entry.id), by: bea.id)
        }
        // check
        #expect(note.visibility == .onlyMe)
        #expect(byOther?.kind == .notFound)
        #expect(try await store.newestVoices(viewer: nil).isEmpty)
        #expect(try await store.newestVoices(viewer: bea.id).isEmpty)
        #expect(try await store.publicVoices(accountID: ana.id, viewer: nil).isEmpty)
        #expect(try await store.thread(rootID: entry.id, viewer: ana.id).map(\.id) == [entry.id, note.id])
        await store.shutdown()
    }

    @Test func onAnAnonymousVoiceOnlyPeopleIFollowAnswersEveryoneAlike() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "carl")
        let (ana, bea, carl) = (people[0], people[1], people[2])
        try await store.follow(bea.id, by: ana.id)
        let anonymous = try await store.say(
            VoiceDraft(kind: .meToo, text: "told anonymously", visibility: .anonymous, replyPolicy: .following), by: ana.id
        ).voice
        let open = try await store.say(VoiceDraft(kind: .meToo, text: "told openly", replyPolicy: .following), by: ana.id).voice
        // act
        let followed = await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: anonymous.id), by: bea.id)
        }
        let stranger = await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: anonymous.id), by: carl.id)
        }
        let onTheOpenVoice = try await store.say(VoiceDraft(kind: .reply, text: Self.supportive, inReplyTo: open.id), by: bea.id).voice
        // check
        // Letting Bea through would tell her that the anonymous author follows her.
        #expect(followed == stranger)
        #expect(followed?.description == ReplyPolicy.following.refusal)
        #expect(onTheOpenVoice.state == .visible)
        await store.shutdown()
    }

    @Test func aBlockKeepsFollowingEndedAndBlockedOrMutedAccountsAreNotAnnounced() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bob", "carl")
        let (ana, bob, carl) = (people[0], people[1], people[2])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo"), by: ana.id).voice
        try await store.follow(ana.id, by: bob.id)
        try await store.block(accountID: bob.id, by: ana.id)
        try await store.mute(accountID: carl.id, by: ana.id)
        // act
        let followAgain = await #expect(throws: Refusal.self) { try await store.follow(ana.id, by: bob.id) }
        let followBlocked = await #expect(throws: Refusal.self) { try await store.follow(bob.id, by: ana.id) }
        try await store.notifyFollow(ana.id, by: bob.id)
        _ = try await store.believe(voiceID: voice.id, by: carl.id)
        let toldOfBelief = try await store.notifyBelief(voiceID: voice.id, by: carl.id)
        try await store.follow(ana.id, by: carl.id)
        try await store.notifyFollow(ana.id, by: carl.id)
        // check
        #expect(followAgain?.kind == .forbidden)
        #expect(followBlocked?.kind == .unprocessable)
        #expect(try await store.follows(ana.id, by: bob.id) == false)
        #expect(toldOfBelief == nil)
        #expect(try await store.notifications(accountID: ana.id).isEmpty)
        await store.shutdown()
    }

    @Test func onlyAnActionThatChangedSomethingCanBeUndone() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "mod")
        let (ana, bea, moderator) = (people[0], people[1], people[2])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo"), by: ana.id).voice
        let reportID = try await store.report(.voice(voice.id), category: .spam, note: "", by: bea.id)
        let dismissed = try await store.act(
            try ModerationDecision(action: .dismiss, rule: "1", reason: "Not spam."), on: .report(reportID), by: moderator.id)
        try await store.act(try ModerationDecision(action: .hide, rule: "2", reason: "Later decision."), on: .voice(voice.id), by: moderator.id)
        // act
        let undoDismissal = await #expect(throws: Refusal.self) {
            try await store.act(
                try ModerationDecision(action: .restore, rule: "1", reason: "stale tab"), on: .action(dismissed.actionID), by: moderator.id)
        }
        // check
        #expect(undoDismissal?.kind == .unprocessable)
        #expect(try await store.voice(id: voice.id, viewer: nil) == nil, "the later hide still stands")
        await store.shutdown()
    }

    @Test func suspendingADeletedAccountSaysItWasDeleted() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea", "mod")
        let (ana, bea, moderator) = (people[0], people[1], people[2])
        let reportID = try await store.report(.account(ana.id), category: .harassment, note: "", by: bea.id)
        try await store.deleteAccount(id: ana.id, voices: .erase)
        try await store.runPendingJobs()
        // act
        let suspended = await #expect(throws: Refusal.self) {
            try await store.act(try ModerationDecision(action: .suspend, rule: "1", reason: "Harassment."), on: .report(reportID), by: moderator.id)
        }
        // check
        #expect(suspended?.kind == .gone)
        #expect(suspended?.description.contains("deleted by its owner") == true)
        await store.shutdown()
    }
}

/// What a person can download holds everything kept about them.
@Suite struct DataExportTests {
    @Test func theExportHoldsTheCountryGivenWithEachMeTooAndTheHashtagsFollowed() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea")
        let (ana, bea) = (people[0], people[1])
        let journal = try await store.say(VoiceDraft(kind: .meToo, text: "only for me", visibility: .onlyMe, country: "DE"), by: ana.id).voice
        let open = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo"), by: ana.id).voice
        try await store.followTag("IBelieveYou", by: ana.id)
        try await store.followTag("MeToo", by: ana.id)
        try await store.followTag("IWill", by: bea.id)
        // act
        let export = try await store.exportData(accountID: ana.id)
        // check
        #expect(export.voices.map(\.id) == [String(journal.id), String(open.id)])
        #expect(export.voices.map(\.country) == ["DE", nil])
        #expect(export.followedTags == ["ibelieveyou", "metoo"])
        await store.shutdown()
    }

    @Test func readPositionsAreExportedAndGoWithTheAccount() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await ModerationStoreTests.people(store, "ana", "bea")
        let (ana, bea) = (people[0], people[1])
        _ = try await store.saveReadMarkers([("home", 12), ("notifications", 3), ("public", 99)], by: ana.id)
        _ = try await store.saveReadMarkers([("home", 40)], by: bea.id)
        // act
        let export = try await store.exportData(accountID: ana.id)
        try await store.deleteAccount(id: ana.id, voices: .erase)
        try await store.runPendingJobs()
        // check
        #expect(export.readMarkers.map(\.timeline) == ["home", "notifications"])  // a timeline not kept is left out
        #expect(export.readMarkers.map(\.lastReadID) == ["12", "3"])
        #expect(try await store.readMarkers(of: ana.id, timelines: ReadMarker.timelines).isEmpty)
        #expect(try await store.readMarkers(of: bea.id, timelines: ["home"]).map(\.lastReadID) == [40])
        await store.shutdown()
    }
}
