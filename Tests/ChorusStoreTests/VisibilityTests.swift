import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// Who sees what: anonymous voices never carry their author; only-me voices are seen by their author alone.
@Suite struct VisibilityTests {
    @Test func anonymousVoiceNeverCarriesItsAuthor() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let moderator = try await store.createAccount(handle: try Handle("mod"), passwordHash: "x", recoveryCodes: [], isModerator: true)
        // act
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "it was him", visibility: .anonymous), by: ana.id).voice
        let seenByModerator = try await store.voice(id: voice.id, viewer: moderator.id)
        let seenSignedOut = try await store.newestVoices(viewer: nil)
        let profile = try await store.publicVoices(accountID: ana.id, viewer: moderator.id)
        // check
        #expect(seenByModerator?.author == .someone)
        #expect(seenSignedOut.map(\.author) == [.someone])
        #expect(profile.isEmpty)
        #expect(voice.author == .someone)
        #expect(voice.isMine)
        await store.shutdown()
    }

    /// An account's id tells only the day it signed up, as its `created_at` does: an exact sign-up time would point at
    /// the account made just before an anonymous voice. An anonymous voice takes no reply policy from the account either.
    @Test func anAccountsIdTellsOnlyItsDayAndAnAnonymousVoiceTakesNoDefaultsFromIt() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let firstDay = ChorusDatabase.now() / 86_400_000
        var moments: Set<Int64> = []
        // act
        for index in 0..<8 {
            let account = try await store.createAccount(handle: try Handle("p\(index)"), passwordHash: "x", recoveryCodes: [])
            moments.insert(VoiceID.milliseconds(of: account.id))
        }
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        try await store.updateSettings(accountID: ana.id, displayName: nil, country: nil, language: nil, defaultReplyPolicy: .following)
        let named = try await store.say(VoiceDraft(kind: .meToo, text: "named"), by: ana.id).voice
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous), by: ana.id).voice
        let chosen = try await store.say(VoiceDraft(kind: .meToo, text: "anon", visibility: .anonymous, replyPolicy: .nobody), by: ana.id).voice
        // check
        // The day the accounts were made (or the next one, should the test run across midnight, UTC).
        let lastDay = ChorusDatabase.now() / 86_400_000
        #expect(moments.allSatisfy { (firstDay...lastDay).contains($0 / 86_400_000) })
        #expect(moments.count == 8)
        #expect(moments.contains { abs($0 - ChorusDatabase.now()) > 60_000 })
        #expect(named.replyPolicy == .following)
        #expect(anonymous.replyPolicy == .everyone)
        #expect(chosen.replyPolicy == .nobody)
        await store.shutdown()
    }

    @Test func onlyMeVoiceIsSeenByItsAuthorAlone() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        // act
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "journal #MeToo", visibility: .onlyMe), by: ana.id).voice
        // check
        #expect(try await store.voice(id: voice.id, viewer: ana.id) != nil)
        #expect(try await store.voice(id: voice.id, viewer: bea.id) == nil)
        #expect(try await store.voice(id: voice.id, viewer: nil) == nil)
        #expect(try await store.voices(tag: "metoo", viewer: bea.id).isEmpty)
        #expect(try await store.journal(accountID: ana.id).map(\.id) == [voice.id])
        await #expect(throws: Refusal.self) { try await store.believe(voiceID: voice.id, by: bea.id) }
        await store.shutdown()
    }

    @Test func replyToADeletedVoiceIsRefused() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: ana.id).voice
        try await store.deleteVoice(id: voice.id, by: ana.id)
        // act / check
        await #expect(throws: Refusal.self) {
            try await store.say(VoiceDraft(kind: .reply, text: "I believe you", inReplyTo: voice.id), by: bea.id)
        }
        await store.shutdown()
    }

    @Test func paginationWalksNewestFirstWithoutGapsOrRepeats() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        var ids: [Int64] = []
        for index in 0..<7 {
            let account = try await store.createAccount(handle: try Handle("p\(index)"), passwordHash: "x", recoveryCodes: [])
            ids.append(try await store.say(VoiceDraft(kind: .meToo, text: "voice \(index)"), by: account.id).voice.id)
        }
        // act
        let first = try await store.newestVoices(viewer: nil, page: .init(limit: 3))
        let second = try await store.newestVoices(viewer: nil, page: .init(maxID: first.last?.id, limit: 3))
        let newer = try await store.newestVoices(viewer: nil, page: .init(minID: ids[2], limit: 2))
        // check
        #expect(first.map(\.id) == Array(ids.reversed()[0..<3]))
        #expect(second.map(\.id) == Array(ids.reversed()[3..<6]))
        #expect(newer.map(\.id) == [ids[4], ids[3]])
        await store.shutdown()
    }
}

/// A survivor answering in their own anonymous thread must not reveal themselves.
@Suite struct AnonymousThreadTests {
    @Test func replyInOnesOwnAnonymousThreadStaysAnonymous() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "it was him", visibility: .anonymous), by: ana.id).voice
        let supporter = try await store.say(VoiceDraft(kind: .reply, text: "I believe you", inReplyTo: voice.id), by: bea.id).voice
        // act
        let own = try await store.say(VoiceDraft(kind: .reply, text: "thank you", inReplyTo: supporter.id), by: ana.id).voice
        let seen = try await store.thread(rootID: voice.id, viewer: bea.id)
        // check
        #expect(own.visibility == .anonymous)
        #expect(seen.first { $0.id == own.id }?.author == .someone)
        #expect(seen.first { $0.id == supporter.id }?.author == .account(id: bea.id, handle: "bea", displayName: "bea"))
        await store.shutdown()
    }

    @Test func aNewVoiceIsAnsweredAsItsAuthorWouldReadIt() async throws {
        // setup: an author with a name and a default reply policy, and a voice to answer
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        try await store.updateSettings(accountID: ana.id, displayName: "Ana M.", country: nil, language: nil, defaultReplyPolicy: .following)
        let story = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo at work", visibility: .public), by: bea.id).voice
        let drafts = [
            VoiceDraft(kind: .meToo, text: "#MeToo", visibility: .public),
            VoiceDraft(kind: .meToo, text: "it was a teacher #MeToo", contentWarning: "school", visibility: .anonymous, language: "en"),
            VoiceDraft(kind: .note, text: "for me alone", visibility: .onlyMe, replyPolicy: .nobody),
            VoiceDraft(kind: .pledge, text: "#IWill listen", visibility: .public),
            VoiceDraft(kind: .reply, text: "I believe you", visibility: .public, inReplyTo: story.id),
        ]
        for draft in drafts {
            // act
            let written = try await store.say(draft, by: ana.id, screening: VoiceScreening(crisis: draft.kind == .note)).voice
            let read = try await store.voice(id: written.id, viewer: ana.id)
            // check: what the write answers is what a read gives (the name, the default policy, the thread)
            #expect(written == read)
        }
        let reply = try #require(try await store.thread(rootID: story.id, viewer: ana.id).last)
        #expect(reply.author == .account(id: ana.id, handle: "ana", displayName: "Ana M."))
        #expect(reply.replyPolicy == .following)
        await store.shutdown()
    }
}
