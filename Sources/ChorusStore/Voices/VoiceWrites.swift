import ChorusCore
import SQLKit

/// What was written.
public struct WrittenVoice: Sendable {
    public let voice: Voice
    /// For a reply: the account that wrote the voice it answers (for notifications; never shown for anonymous voices).
    public let answeredAccountID: Int64?
}

extension ChorusStore {
    /// Stores a voice and updates every total in the same transaction.
    ///
    /// `limits` are counted in the same transaction: a voice over a limit is refused with `LimitReached` and
    /// leaves nothing behind, not even the count.
    public func say(
        _ draft: VoiceDraft, by accountID: Int64, screening: VoiceScreening = .clear, limits: [(limit: Limit, key: String)] = []
    ) async throws -> WrittenVoice {
        let draft = try draft.validated()
        let now = ChorusDatabase.now()
        let id = VoiceID.make(at: now)
        return try await database.write { db in
            for (limit, key) in limits { try await Self.count(db, limit, key: key, now: now) }
            var threadRoot = id
            var answered: Int64?
            var visibility = draft.visibility
            var screening = screening
            if draft.kind == .reply, let parentID = draft.inReplyTo {
                let parent = try await Self.replyTarget(db, parentID: parentID, replier: accountID)
                threadRoot = parent.threadRoot
                answered = parent.authorID
                // Answering in one's own anonymous thread stays anonymous: a public reply there would say who wrote it.
                let root = try await db.raw("SELECT account_id, visibility FROM voices WHERE id = \(bind: threadRoot)").first()
                if visibility == .public, try root?.int64("account_id") == accountID, try root?.string("visibility") == Visibility.anonymous.rawValue
                {
                    visibility = .anonymous
                }
                // A reply to someone who blocked its writer is kept for its writer alone (see BlockStore).
                if try await Self.isBlocked(db, blocker: parent.authorID, blocked: accountID) { screening.state = .hidden }
            }
            let (country, inTrends) = Self.magnitudeFields(of: draft, state: screening.state)
            // Without a choice for this voice, the author's default reply policy applies (read in the same statement).
            let inserted = try await db.raw(
                """
                INSERT INTO voices (id, account_id, kind, visibility, state, text, content_warning, language, in_reply_to_id,
                                    thread_root_id, reply_policy, guard_label, crisis, country, in_trends, created_at)
                VALUES (\(bind: id), \(bind: accountID), \(bind: draft.kind.rawValue), \(bind: visibility.rawValue),
                        \(bind: screening.state.rawValue), \(bind: draft.text), \(bind: draft.contentWarning), \(bind: draft.language),
                        \(bind: draft.inReplyTo), \(bind: threadRoot),
                        COALESCE(\(bind: draft.replyPolicy?.rawValue), (SELECT default_reply_policy FROM accounts WHERE id = \(bind: accountID)), 'everyone'),
                        \(bind: screening.guardLabel), \(bind: screening.crisis.sqlValue), \(bind: country), \(bind: inTrends.sqlValue), \(bind: now))
                RETURNING reply_policy
                """
            ).first()
            for tag in draft.hashtags {
                try await db.raw("INSERT INTO voice_tags (voice_id, tag) VALUES (\(bind: id), \(bind: tag))").run()
            }
            if draft.kind == .reply, screening.state == .visible, let parentID = draft.inReplyTo {
                try await db.raw("UPDATE voices SET reply_count = reply_count + 1 WHERE id = \(bind: parentID)").run()
            }
            // The author's counts, and what the voice shows of them (an account being erased writes nothing more).
            let meToo: Int64 = draft.kind == .meToo ? 1 : 0
            let shown: Int64 = Self.isShown(visibility, screening.state) ? 1 : 0
            guard
                let author = try await db.raw(
                    """
                    UPDATE accounts SET metoo_voices = metoo_voices + \(bind: meToo), shown_voices = shown_voices + \(bind: shown)
                    WHERE id = \(bind: accountID) AND erasing = 0
                    RETURNING metoo_voices, display_handle, display_name
                    """
                ).first()
            else { throw Refusal.voiceNotFound() }
            let firstMeToo = try meToo == 1 && author.int("metoo_voices") == 1
            let voice = Voice(
                id: id, kind: draft.kind, text: draft.text, contentWarning: draft.contentWarning, visibility: visibility,
                language: draft.language, inReplyTo: draft.inReplyTo, threadRoot: threadRoot,
                replyPolicy: ReplyPolicy(rawValue: try inserted?.string("reply_policy") ?? "") ?? .everyone, believeCount: 0, replyCount: 0,
                createdAt: now,
                author: visibility == .public
                    ? .account(id: accountID, handle: try author.string("display_handle"), displayName: try author.string("display_name"))
                    : .someone,
                state: screening.state, guardLabel: screening.guardLabel, crisis: screening.crisis, isMine: true, readerBelieves: false
            )
            // The counts every write adds to come last: on PostgreSQL a row written is locked until the commit.
            if firstMeToo { try await Self.add(1, to: .meTooPeople, db) }
            if draft.kind == .pledge { try await Self.add(1, to: .pledges, db) }
            try await Self.recordMagnitude(of: draft, country: country, inTrends: inTrends, by: accountID, at: now, db)
            return WrittenVoice(voice: voice, answeredAccountID: answered)
        }
    }

    /// Checks that `replier` may answer the voice `parentID`, by what its author chose.
    private static func replyTarget(_ db: any SQLDatabase, parentID: Int64, replier: Int64) async throws -> (threadRoot: Int64, authorID: Int64) {
        guard try await voice(db, id: parentID, viewer: replier) != nil,
            let row = try await db.raw("SELECT account_id, thread_root_id, reply_policy FROM voices WHERE id = \(bind: parentID)").first()
        else {
            throw Refusal(.notFound, "This voice is not here any more, so it can't be answered. It may have been deleted.")
        }
        let authorID = try row.int64("account_id")
        let policy = ReplyPolicy(rawValue: try row.string("reply_policy")) ?? .everyone
        let follows =
            try await db.raw(
                "SELECT 1 AS one FROM follows WHERE follower_id = \(bind: authorID) AND followed_id = \(bind: replier)"
            ).first() != nil
        guard policy.allowsTextReply(isAuthor: authorID == replier, authorFollowsReplier: follows) else {
            throw Refusal(.unprocessable, policy.refusal)
        }
        return (try row.int64("thread_root_id"), authorID)
    }

    /// Deletes a voice its author wrote, with the replies in its thread, and takes it out of every total.
    public func deleteVoice(id: Int64, by accountID: Int64) async throws {
        try await database.write { db in
            guard let row = try await db.raw("SELECT account_id, thread_root_id FROM voices WHERE id = \(bind: id)").first(),
                try row.int64("account_id") == accountID
            else { throw Refusal.voiceNotFound() }
            let isRoot = try row.int64("thread_root_id") == id
            try await Self.deleteVoices(db, where: isRoot ? "thread_root_id = \(id)" : "id = \(id)")
        }
    }

    /// Deletes the voices a condition selects (ids only in the condition, never text), keeping every total right.
    static func deleteVoices(_ db: any SQLDatabase, where condition: String) async throws {
        let rows = try await db.raw(
            "SELECT id, account_id, kind, state, in_reply_to_id, believe_count FROM voices WHERE \(unsafeRaw: condition)"
        ).all()
        guard !rows.isEmpty else { return }
        try await recordVoicesDeleted(where: condition, db)
        var beliefs = 0
        var pledges = 0
        var meTooByAccount: [Int64: Int] = [:]
        var repliesByParent: [Int64: Int] = [:]
        let ids = Set(try rows.map { try $0.int64("id") })
        for row in rows {
            beliefs += try row.int("believe_count")
            switch VoiceKind(rawValue: try row.string("kind")) {
            case .meToo: meTooByAccount[try row.int64("account_id"), default: 0] += 1
            case .pledge: pledges += 1
            case .reply:
                if let parent = try row.optionalInt64("in_reply_to_id"), !ids.contains(parent), try row.string("state") == VoiceState.visible.rawValue
                {
                    repliesByParent[parent, default: 0] += 1
                }
            default: break
            }
        }
        try await db.raw("DELETE FROM voices WHERE \(unsafeRaw: condition)").run()
        for account in Set(try rows.map { try $0.int64("account_id") }).sorted() { try await recountShownVoices(of: account, db) }
        try await add(-beliefs, to: .beliefs, db)
        try await add(-pledges, to: .pledges, db)
        for (account, count) in meTooByAccount {
            try await db.raw("UPDATE accounts SET metoo_voices = metoo_voices - \(bind: Int64(count)) WHERE id = \(bind: account)").run()
            if try await db.raw("SELECT metoo_voices FROM accounts WHERE id = \(bind: account)").first()?.int("metoo_voices") == 0 {
                try await add(-1, to: .meTooPeople, db)
            }
        }
        for (parent, count) in repliesByParent {
            try await db.raw("UPDATE voices SET reply_count = reply_count - \(bind: Int64(count)) WHERE id = \(bind: parent)").run()
        }
    }
}
