import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// The store's side of moderation: held replies, blocks that keep anonymity, actions that keep every count right.
@Suite struct ModerationStoreTests {
    static func people(_ store: ChorusStore, _ handles: String...) async throws -> [Account] {
        var accounts: [Account] = []
        for handle in handles {
            accounts.append(
                try await store.createAccount(handle: try Handle(handle), passwordHash: "x", recoveryCodes: [], isModerator: handle.hasPrefix("mod")))
        }
        return accounts
    }

    @Test func rewritingAHeldReplyToSupportiveShowsAndCountsIt() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bea", "carl")
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        let held = try await store.say(
            VoiceDraft(kind: .reply, text: "Why didn't you leave?", inReplyTo: root.id), by: people[1].id,
            screening: VoiceScreening(state: .held, guardLabel: "why_question")
        ).voice
        // act
        let waiting = try await store.heldReplyCount(threadRoot: root.id, owner: people[0].id)
        let notOwner = try await store.heldReplyCount(threadRoot: root.id, owner: people[2].id)
        let rewritten = try await store.rewriteHeldReply(id: held.id, text: "I believe you. #IBelieveYou", screening: .clear, by: people[1].id)
        // check
        #expect(waiting == 1)
        #expect(notOwner == 0)
        #expect(rewritten.state == .visible)
        #expect(rewritten.guardLabel == nil)
        #expect(try await store.voice(id: root.id, viewer: nil)?.replyCount == 1)
        #expect(try await store.voices(tag: "ibelieveyou", viewer: nil).map(\.id) == [held.id])
        await #expect(throws: Refusal.self) { try await store.rewriteHeldReply(id: held.id, text: "again", screening: .clear, by: people[1].id) }
        await store.shutdown()
    }

    @Test func hidingRestoringApprovingAndRejectingKeepReplyCountsRight() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bea", "mod")
        let root = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: people[0].id).voice
        let visible = try await store.say(VoiceDraft(kind: .reply, text: "I believe you", inReplyTo: root.id), by: people[1].id).voice
        let held = try await store.say(
            VoiceDraft(kind: .reply, text: "pics or it didn't happen", inReplyTo: root.id), by: people[1].id,
            screening: VoiceScreening(state: .held, guardLabel: "disbelief")
        ).voice
        let decision = try ModerationDecision(action: .hide, rule: "2", reason: "test")
        // act
        let hidden = try await store.act(decision, on: .voice(visible.id), by: people[2].id)
        let afterHide = try await store.voice(id: root.id, viewer: nil)?.replyCount
        try await store.act(try ModerationDecision(action: .restore, rule: "2", reason: "test"), on: .action(hidden.actionID), by: people[2].id)
        try await store.act(try ModerationDecision(action: .approve, rule: "1", reason: "test"), on: .voice(held.id), by: people[2].id)
        let afterApprove = try await store.voice(id: root.id, viewer: nil)?.replyCount
        // check
        #expect(hidden.shownVoice == nil)
        #expect(afterHide == 0)
        #expect(afterApprove == 2)
        await #expect(throws: Refusal.self) { try await store.act(decision, on: .voice(visible.id), by: people[1].id) }
        await #expect(throws: InputError.self) {
            try await store.act(try ModerationDecision(action: .hide, rule: "42", reason: "x"), on: .voice(visible.id), by: people[2].id)
        }
        let journal = try await store.say(VoiceDraft(kind: .meToo, text: "private", visibility: .onlyMe), by: people[0].id).voice
        await #expect(throws: Refusal.voiceNotFound()) { try await store.act(decision, on: .voice(journal.id), by: people[2].id) }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: "1", reason: " ") }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: nil, reason: "why") }
        await store.shutdown()
    }

    /// A suspension through an anonymous voice is quiet: it hides that voice only (hiding the author's other anonymous
    /// voices at the same moment would tie them together), and a full one, through a public voice, never hides the
    /// anonymous ones either.
    @Test func aSuspensionThroughAnAnonymousVoiceIsQuietUntilAPublicVoiceEarnsAFullOne() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bea", "mod")
        let (ana, bea, moderator) = (people[0], people[1], people[2])
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        let otherAnonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon 2", visibility: .anonymous), by: ana.id).voice
        let thirdAnonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon 3", visibility: .anonymous), by: ana.id).voice
        let publicVoice = try await store.say(VoiceDraft(kind: .meToo, text: "public"), by: ana.id).voice
        let beasAnonymous = try await store.say(VoiceDraft(kind: .meToo, text: "bea anon", visibility: .anonymous), by: bea.id).voice
        let rule = try ModerationDecision(action: .suspend, rule: "2", reason: "A threat.")
        let everything = [anonymous.id, otherAnonymous.id, thirdAnonymous.id, publicVoice.id, beasAnonymous.id]
        // act
        try await store.act(rule, on: .voice(anonymous.id), by: moderator.id)
        let quiet = try await store.account(id: ana.id)
        let shownWhileQuiet = try await store.voices(ids: everything, viewer: bea.id).map(\.id)
        try await store.act(rule, on: .voice(otherAnonymous.id), by: moderator.id)  // already suspended: answers like any other
        try await store.act(rule, on: .voice(publicVoice.id), by: moderator.id)
        let full = try await store.account(id: ana.id)
        let shownWhenFull = try await store.voices(ids: everything, viewer: bea.id).map(\.id)
        try await store.act(rule, on: .voice(beasAnonymous.id), by: moderator.id)
        // check
        #expect(quiet?.isSuspended == true && quiet?.isSuspendedQuietly == true && quiet?.isHiddenBySuspension == false)
        #expect(Set(shownWhileQuiet) == [otherAnonymous.id, thirdAnonymous.id, publicVoice.id, beasAnonymous.id])
        #expect(full?.isHiddenBySuspension == true)
        #expect(Set(shownWhenFull) == [thirdAnonymous.id, beasAnonymous.id])
        await #expect(throws: Refusal.self) { try await store.act(rule, on: .voice(publicVoice.id), by: moderator.id) }
        #expect(try await store.account(id: bea.id)?.isSuspendedQuietly == true)
        await store.shutdown()
    }

    /// Lifting a named account's suspension never lifts a quiet one (nor shows its anonymous voice): otherwise
    /// suspending and restoring a suspect would tell a moderator whether they wrote it.
    @Test func liftingAFullSuspensionLeavesAQuietOneInEffect() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bea", "mod")
        let (ana, bea, moderator) = (people[0], people[1], people[2])
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        let rule = try ModerationDecision(action: .suspend, rule: "2", reason: "A threat.")
        let restore = try ModerationDecision(action: .restore, rule: "2", reason: "Looked again.")
        let quiet = try await store.act(rule, on: .voice(anonymous.id), by: moderator.id)
        // act: suspend and restore the author and a bystander by name
        var states: [String: (suspended: Bool, anonymousShown: Bool, restorable: Bool?)] = [:]
        for (name, person) in [("author", ana), ("bystander", bea)] {
            let named = try await store.say(VoiceDraft(kind: .meToo, text: "public"), by: person.id).voice
            let full = try await store.act(rule, on: .voice(named.id), by: moderator.id)
            try await store.act(restore, on: .action(full.actionID), by: moderator.id)
            let recent = try await store.moderationQueue(moderatorID: moderator.id).recent
            states[name] = (
                try await store.account(id: person.id)?.isSuspended == true,
                try await store.voice(id: anonymous.id, viewer: nil) != nil,
                recent.first { $0.id == full.actionID }?.canRestore
            )
        }
        let quietRestorable = try await store.moderationQueue(moderatorID: moderator.id).recent.first { $0.id == quiet.actionID }?.canRestore
        try await store.act(restore, on: .action(quiet.actionID), by: moderator.id)
        // check: the anonymous voice stays hidden either way; the author stays quietly suspended until that is lifted
        #expect(states["author"]?.anonymousShown == false)
        #expect(states["bystander"]?.anonymousShown == false)
        #expect(states["author"]?.suspended == true)
        #expect(states["bystander"]?.suspended == false)
        // The moderator's list offers no Restore on either lifted suspension: one left on the author's would name them.
        #expect(states["author"]?.restorable == false)
        #expect(states["bystander"]?.restorable == false)
        #expect(quietRestorable == true)
        #expect(try await store.account(id: ana.id)?.isSuspended == false)
        #expect(try await store.voice(id: anonymous.id, viewer: nil) != nil)
        await store.shutdown()
    }

    /// Only a full suspension tells the streams which public voices went: a quiet one, even on an account suspended
    /// fully before, announces nothing of the named account (that would tie the anonymous voice to it).
    @Test func onlyAFullSuspensionAnnouncesTheAccountsPublicVoices() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "mod")
        let (ana, moderator) = (people[0], people[1])
        let named = try await store.say(VoiceDraft(kind: .meToo, text: "public"), by: ana.id).voice
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        let rule = try ModerationDecision(action: .suspend, rule: "2", reason: "A threat.")
        // act
        let full = try await store.act(rule, on: .voice(named.id), by: moderator.id)
        let quiet = try await store.act(rule, on: .voice(anonymous.id), by: moderator.id)
        // check
        #expect(full.hiddenWithAccount == [named.id])
        #expect(quiet.hiddenWithAccount.isEmpty)
        await store.shutdown()
    }

    /// A voice deleted before the moderator decides can't tell whether its author would be suspended quietly: nothing
    /// is done through it (a full suspension would name the author of an anonymous voice).
    @Test func aSuspensionThroughADeletedVoiceIsRefused() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "mod")
        let (ana, moderator) = (people[0], people[1])
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        // act
        try await store.deleteVoice(id: anonymous.id, by: ana.id)
        // check
        await #expect(throws: Refusal.self) {
            try await store.act(try ModerationDecision(action: .suspend, rule: "2", reason: "A threat."), on: .voice(anonymous.id), by: moderator.id)
        }
        #expect(try await store.account(id: ana.id)?.isSuspended == false)
        await store.shutdown()
    }

    /// An anonymous voice waiting to be erased after its author deleted their account is suspended through like any
    /// other: a refusal would tell the moderator that its author had just left.
    @Test func suspendingThroughTheAnonymousVoiceOfADeletedAccountHidesItLikeAnyOther() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "mod")
        let (ana, moderator) = (people[0], people[1])
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        try await store.deleteAccount(id: ana.id, voices: .eraseAnonymousLater)
        // act
        let result = try await store.act(
            try ModerationDecision(action: .suspend, rule: "2", reason: "A threat."), on: .voice(anonymous.id), by: moderator.id)
        // check
        #expect(result.shownVoice == nil)
        #expect(result.warnedAccountID == nil)
        #expect(try await store.voice(id: anonymous.id, viewer: nil) == nil)
        await store.shutdown()
    }

    /// Hiding the author's other anonymous voices too would tell the blocker which ones share an author.
    @Test func aBlockMadeFromAnAnonymousVoiceHidesThatVoiceAlone() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bob")
        let (ana, bob) = (people[0], people[1])
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: bob.id).voice
        let other = try await store.say(VoiceDraft(kind: .meToo, text: "anon 2", visibility: .anonymous), by: bob.id).voice
        let open = try await store.say(VoiceDraft(kind: .meToo, text: "public"), by: bob.id).voice
        // act
        try await store.blockAuthor(ofVoice: anonymous.id, by: ana.id)
        let seen = Set(try await store.newestVoices(viewer: ana.id).map(\.id))
        let entries = try await store.blocks(by: ana.id)
        // check
        #expect(!seen.contains(anonymous.id))
        #expect(seen.contains(other.id))
        #expect(seen.contains(open.id))
        #expect(entries == [BoundaryEntry(handle: nil, viaVoiceID: anonymous.id, createdAt: entries[0].createdAt)])
        await store.shutdown()
    }

    @Test func aBeliefFromABlockedPersonOnAnAnonymousVoiceCountsLikeAnyonesButIsNotAnnounced() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bob")
        let (ana, bob) = (people[0], people[1])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        try await store.block(accountID: bob.id, by: ana.id)
        // act
        let believed = try await store.believe(voiceID: voice.id, by: bob.id)
        let notified = try await store.notifyBelief(voiceID: voice.id, by: bob.id)
        let magnitude = try await store.magnitude()
        let publicCount = try await store.voice(id: voice.id, viewer: nil)?.believeCount
        try await store.deleteAccount(id: bob.id, voices: .erase)
        try await store.runPendingJobs()
        // check
        // Everyone sees the same count, signed in or not: a count that moved for Bob alone would tell him who blocked him.
        #expect(believed.believeCount == 1)
        #expect(publicCount == 1)
        #expect(magnitude.beliefs == 1)
        // Ana blocked Bob on his profile, so she is not told.
        #expect(notified == nil)
        #expect(try await store.notifications(accountID: ana.id).isEmpty)
        // Erasing Bob takes his belief off the voice once; the published totals keep it (see VoicesOnDeletion.erase).
        #expect(try await store.magnitude().beliefs == 1)
        #expect(try await store.voice(id: voice.id, viewer: nil)?.believeCount == 0)
        await store.shutdown()
    }

    @Test func deletingAVoiceTakesItsBeliefsWithItSoErasingABelieverLaterKeepsTotalsRight() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let people = try await Self.people(store, "ana", "bob")
        let (ana, bob) = (people[0], people[1])
        let gone = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo one"), by: ana.id).voice
        let kept = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo two"), by: ana.id).voice
        _ = try await store.believe(voiceID: kept.id, by: bob.id)
        _ = try await store.believe(voiceID: gone.id, by: bob.id)
        // act
        try await store.deleteVoice(id: gone.id, by: ana.id)
        let afterDeletion = try await store.magnitude().beliefs
        let firstPage = try await store.believedVoices(by: bob.id, page: PageRequest(limit: 1))
        try await store.deleteAccount(id: bob.id, voices: .erase)
        try await store.runPendingJobs()
        // check
        #expect(afterDeletion == 1)
        // The newest belief's voice is gone, and the page still holds one voice (it was empty, with no way on).
        #expect(firstPage.map(\.voice.id) == [kept.id])
        #expect(try await store.magnitude().beliefs == 1)  // the totals keep an erased account's count
        #expect(try await store.voice(id: kept.id, viewer: nil)?.believeCount == 0)
        await store.shutdown()
    }
}
