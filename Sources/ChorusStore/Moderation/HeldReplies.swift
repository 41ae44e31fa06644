import ChorusCore
import SQLKit

/// Replies the reply guard held: their writer may rewrite or withdraw them, the survivor may look at them behind a
/// warning, and moderators approve or reject them. Nobody else ever sees them.
extension ChorusStore {
    /// Rewrites a held reply as its writer, with the new screening, in one transaction. A reply that now reads as
    /// supportive becomes visible and is counted; otherwise it keeps waiting, with its new label.
    public func rewriteHeldReply(id: Int64, text: String, screening: VoiceScreening, by accountID: Int64) async throws -> Voice {
        try await database.write { db in
            guard let row = try await db.raw("SELECT account_id, kind, state, in_reply_to_id FROM voices WHERE id = \(bind: id)").first(),
                try row.int64("account_id") == accountID, try row.string("kind") == VoiceKind.reply.rawValue
            else { throw Refusal.voiceNotFound() }
            guard try row.string("state") == VoiceState.held.rawValue else {
                throw Refusal(.conflict, "This reply is not waiting for review any more, so it can't be rewritten here.")
            }
            let draft = try VoiceDraft(kind: .reply, text: text, inReplyTo: try row.optionalInt64("in_reply_to_id")).validated()
            var screening = screening
            // As for a new reply: the voice answered must still be shown, the thread's reply choice applies as it is now,
            // and someone the author blocked since is heard by nobody (see `replyPlace`).
            if let parent = draft.inReplyTo {
                let place = try await Self.replyPlace(db, parentID: parent, replier: accountID)
                if screening.state == .visible, place.keptApart { screening.state = .hidden }
            }
            try await db.raw(
                """
                UPDATE voices SET text = \(bind: draft.text), state = \(bind: screening.state.rawValue), guard_label = \(bind: screening.guardLabel),
                    crisis = \(bind: screening.crisis.sqlValue) WHERE id = \(bind: id)
                """
            ).run()
            try await db.raw("DELETE FROM voice_tags WHERE voice_id = \(bind: id)").run()
            for tag in draft.hashtags {
                try await db.raw("INSERT INTO voice_tags (voice_id, tag) VALUES (\(bind: id), \(bind: tag))").run()
            }
            if let parent = draft.inReplyTo { try await Self.countReply(on: parent, shown: screening.state == .visible, db) }
            if screening.state == .visible { try await Self.recountShownVoices(of: accountID, db) }
            guard let voice = try await Self.voice(db, id: id, viewer: accountID) else { throw Refusal.voiceNotFound() }
            return voice
        }
    }

    /// Replies held in a thread, for the person who started it: they choose to look, behind a warning.
    public func heldReplies(threadRoot rootID: Int64, owner: Int64) async throws -> [Voice] {
        try await database.read { db in
            guard try await Self.ownsThread(db, rootID: rootID, owner: owner) else { return [] }
            var query = Self.voiceSelect(viewer: owner, alsoShowing: Self.heldIn(rootID))
            query.appendInterpolation(unsafeRaw: " AND v.state = 'held' AND v.thread_root_id = ")
            query.appendInterpolation(bind: rootID)
            query.appendInterpolation(unsafeRaw: " AND v.account_id <> ")
            query.appendInterpolation(bind: owner)
            query.appendInterpolation(unsafeRaw: " ORDER BY v.id ASC LIMIT 200")
            return try await db.raw(query).all().map(Self.voice(from:))
        }
    }

    /// How many replies in a thread are waiting for review, for the person who started it (0 for anyone else).
    public func heldReplyCount(threadRoot rootID: Int64, owner: Int64) async throws -> Int {
        try await heldReplies(threadRoot: rootID, owner: owner).count
    }

    /// A voice `viewer` may report: any listed, visible voice (even from someone they blocked), or a reply held in a
    /// thread they started.
    public func reportableVoice(id: Int64, viewer: Int64) async throws -> Voice? {
        try await database.read { db in try await Self.voiceOrHeldReplyToOwnThread(db, id: id, viewer: viewer, ignoringBlocks: true) }
    }

    /// Changes who may reply to a voice, as its author.
    public func setReplyPolicy(_ policy: ReplyPolicy, voiceID: Int64, by accountID: Int64) async throws -> Voice {
        try await database.write { db in
            let updated = try await db.raw(
                "UPDATE voices SET reply_policy = \(bind: policy.rawValue) WHERE id = \(bind: voiceID) AND account_id = \(bind: accountID) RETURNING id"
            ).all()
            guard !updated.isEmpty, let voice = try await Self.voice(db, id: voiceID, viewer: accountID) else { throw Refusal.voiceNotFound() }
            return voice
        }
    }

    static func ownsThread(_ db: any SQLDatabase, rootID: Int64, owner: Int64) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM voices WHERE id = \(bind: rootID) AND account_id = \(bind: owner) AND thread_root_id = id").first()
            != nil
    }

    private static func heldIn(_ rootID: Int64) -> SQLQueryString {
        "v.state = 'held' AND v.thread_root_id = \(bind: rootID) AND \(unsafeRaw: authorShown)"
    }

    /// One voice as `viewer` sees it, counting the replies held in threads they started (which they may choose to read,
    /// and so report, block or mute).
    /// `ignoringBlocks` serves reports, blocks and mutes: one can still report or block someone one has muted or blocked.
    static func voiceOrHeldReplyToOwnThread(_ db: any SQLDatabase, id: Int64, viewer: Int64, ignoringBlocks: Bool = false) async throws -> Voice? {
        var query = voiceSelect(
            viewer: ignoringBlocks ? nil : viewer,
            alsoShowing: """
                v.state = 'held' AND \(unsafeRaw: authorShown)
                AND EXISTS (SELECT 1 FROM voices r WHERE r.id = v.thread_root_id AND r.account_id = \(bind: viewer))
                """
        )
        query.appendInterpolation(unsafeRaw: " AND v.id = ")
        query.appendInterpolation(bind: id)
        return try await db.raw(query).first().map(Self.voice(from:))
    }
}
