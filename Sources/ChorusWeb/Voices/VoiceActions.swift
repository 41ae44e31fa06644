import ChorusCore
import ChorusStore

/// The one write path for voices, shared by the web pages and the Mastodon API: screening, storing, notifying,
/// and announcing to live pages and streams.
struct VoiceActions: Sendable {
    let services: ChorusServices
    var store: ChorusStore { services.store }

    /// Screens, stores and announces a voice. A held reply is stored but announced to no one. `keeping`: an
    /// idempotency key, kept with the voice.
    func publish(_ draft: VoiceDraft, by account: Account, keeping key: String? = nil) async throws -> WrittenVoice {
        var limits = [(limit: Limit.posting.allowing(services.config.postingLimit), key: String(account.id))]
        let parent = try await answered(by: draft, as: account)
        let screening = screen(draft, answering: parent)
        if let parent, !parent.isMine, ChorusDatabase.now() - account.createdAt < Limit.newAccountAge {
            limits.append((.newAccountRepliesToOneVoice, String(parent.threadRoot)))
        }
        let written = try await store.say(draft, by: account.id, screening: screening, limits: limits, idempotencyKey: key)
        let voice = written.voice
        if voice.state == .visible {
            services.live.publish(LiveEvent(kind: .voice, voiceID: voice.id, tags: voice.hashtags, isListed: voice.visibility.isListed))
        }
        if voice.kind == .meToo || voice.kind == .pledge { services.live.publish(LiveEvent(kind: .magnitude)) }
        if voice.kind == .reply, let recipient = try await store.notifyReply(voice, answeredAccountID: written.answeredAccountID, by: account.id) {
            services.live.publish(LiveEvent(kind: .notification, isListed: false, accountID: recipient))
        }
        return written
    }

    /// The voice a reply answers, as its writer sees it; nil for other drafts, or when it is gone.
    private func answered(by draft: VoiceDraft, as account: Account) async throws -> Voice? {
        guard draft.kind == .reply, let parentID = draft.inReplyTo else { return nil }
        return try await store.voice(id: parentID, viewer: account.id)
    }

    /// Screens a draft once: a reply with the voice it answers (the guard reads the disclosure, and leaves replies in
    /// one's own thread alone).
    private func screen(_ draft: VoiceDraft, answering parent: Voice?) -> VoiceScreening {
        services.screening.screen(draft, answering: parent?.text, answersOwnThread: parent?.isMine ?? false)
    }

    /// What a publish under an idempotency key did.
    enum Publication {
        /// The voice was written now.
        case written(WrittenVoice)
        /// An earlier request with the same key wrote it: this voice, or nil when it has since been deleted.
        case replayed(Voice?)
    }

    /// Publishes once per key: a request sent again (an app's retry with its `Idempotency-Key`, a form sent twice or
    /// reloaded) finds the first one's voice instead of writing another. The key is kept in the voice's own
    /// transaction, which is also where a replay is found, so a request that died leaves the key free. Without a key,
    /// every request publishes.
    func publish(_ draft: VoiceDraft, by account: Account, idempotencyKey key: String?) async throws -> Publication {
        do {
            return .written(try await publish(draft, by: account, keeping: key))
        } catch let replay as IdempotentReplay {
            return .replayed(try await replay.voiceID.asyncFlatMap { try await store.voice(id: $0, viewer: account.id) })
        }
    }

    /// A held reply rewritten by its writer, screened as a new reply would be: now supportive, it is shown, announced
    /// and its survivor told; otherwise it keeps waiting, with its new label.
    func rewriteHeld(_ voice: Voice, text: String, by account: Account) async throws -> Voice {
        let draft = try VoiceDraft(kind: .reply, text: text, visibility: voice.visibility, inReplyTo: voice.inReplyTo).validated()
        let screening = screen(draft, answering: try await answered(by: draft, as: account))
        let rewritten = try await store.rewriteHeldReply(id: voice.id, text: text, screening: screening, by: account.id)
        if rewritten.state == .visible { try await announceShownReply(rewritten) }
        return rewritten
    }

    /// A reply shown after it waited (rewritten kindly, or approved by a moderator): live pages and streams hear of it,
    /// and the person it answers is told, as of any new reply.
    func announceShownReply(_ reply: Voice) async throws {
        services.live.publish(LiveEvent(kind: .voice, voiceID: reply.id, tags: reply.hashtags, isListed: reply.visibility.isListed))
        guard let parties = try await store.replyParties(ofReply: reply.id) else { return }
        if let recipient = try await store.notifyReply(reply, answeredAccountID: parties.answered, by: parties.writer) {
            services.live.publish(LiveEvent(kind: .notification, isListed: false, accountID: recipient))
        }
    }

    /// *I believe you*: counted once, and the voice's author is told.
    func believe(voiceID: Int64, by account: Account) async throws -> Voice {
        let voice = try await store.believe(voiceID: voiceID, by: account.id)
        services.live.publish(LiveEvent(kind: .magnitude, voiceID: voice.id))
        if let recipient = try await store.notifyBelief(voiceID: voice.id, by: account.id) {
            services.live.publish(LiveEvent(kind: .notification, isListed: false, accountID: recipient))
        }
        return voice
    }

    func unbelieve(voiceID: Int64, by account: Account) async throws -> Voice {
        let voice = try await store.unbelieve(voiceID: voiceID, by: account.id)
        try await store.withdrawBeliefNotification(voiceID: voice.id, by: account.id)
        services.live.publish(LiveEvent(kind: .magnitude, voiceID: voice.id))
        return voice
    }

    /// Deletes one's own voice (with its thread, for a voice that started one).
    func delete(voiceID: Int64, by account: Account) async throws {
        let shown = try await store.deleteVoice(id: voiceID, by: account.id)
        // Streams hear of a deletion only where they could have heard of the voice: everyone for a listed voice,
        // the writer's own streams for the rest. A thread goes with its replies: apps are told of each shown one.
        services.live.publish(LiveEvent(kind: .deleted, voiceID: voiceID, isListed: shown.contains(voiceID), accountID: account.id))
        for reply in shown where reply != voiceID {
            services.live.publish(LiveEvent(kind: .deleted, voiceID: reply, isListed: true, accountID: account.id))
        }
        services.live.publish(LiveEvent(kind: .magnitude))
    }

    /// Follows an account, and tells them.
    func follow(_ followedID: Int64, by account: Account) async throws {
        let already = try await store.follows(followedID, by: account.id)
        try await store.follow(followedID, by: account.id)
        if !already {
            try await store.notifyFollow(followedID, by: account.id)
            services.live.publish(LiveEvent(kind: .notification, isListed: false, accountID: followedID))
        }
    }
}
