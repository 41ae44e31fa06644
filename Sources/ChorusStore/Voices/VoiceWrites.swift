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
    /// `idempotencyKey`: kept with the voice in the same transaction, so a request sent again with it finds this voice
    /// (`IdempotentReplay`) and writes nothing, and a request that died left nothing half-done behind.
    public func say(
        _ draft: VoiceDraft, by accountID: Int64, screening: VoiceScreening = .clear, limits: [(limit: Limit, key: String)] = [],
        idempotencyKey: String? = nil
    ) async throws -> WrittenVoice {
        let draft = try draft.validated()
        let now = ChorusDatabase.now()
        let id = VoiceID.make(at: now)
        return try await database.write { db in
            if let idempotencyKey { try await Self.keep(idempotencyKey, for: id, by: accountID, now: now, db) }
            for (limit, key) in limits { try await Self.count(db, limit, key: key, now: now) }
            var threadRoot = id
            var answered: Int64?
            var visibility = draft.visibility
            var screening = screening
            if draft.kind == .reply, let parentID = draft.inReplyTo {
                let place = try await Self.replyPlace(db, parentID: parentID, replier: accountID)
                threadRoot = place.threadRoot
                answered = place.answeredAccountID
                if let kept = place.visibility(for: visibility) { visibility = kept }
                if place.keptApart { screening.state = .hidden }
            }
            let (country, inTrends) = Self.magnitudeFields(of: draft, state: screening.state)
            // Without a choice for this voice, the author's default reply policy applies (read in the same statement),
            // except on an anonymous voice: a default shared with their named voices would tie the two together.
            let inserted = try await db.raw(
                """
                INSERT INTO voices (id, account_id, kind, visibility, state, text, content_warning, language, in_reply_to_id,
                                    thread_root_id, reply_policy, guard_label, crisis, country, in_trends, created_at)
                VALUES (\(bind: id), \(bind: accountID), \(bind: draft.kind.rawValue), \(bind: visibility.rawValue),
                        \(bind: screening.state.rawValue), \(bind: draft.text), \(bind: draft.contentWarning), \(bind: draft.language),
                        \(bind: draft.inReplyTo), \(bind: threadRoot),
                        COALESCE(\(bind: draft.replyPolicy?.rawValue), (SELECT default_reply_policy FROM accounts WHERE id = \(bind: accountID)
                            AND \(bind: visibility.rawValue) <> 'anonymous'), 'everyone'),
                        \(bind: screening.guardLabel), \(bind: screening.crisis.sqlValue), \(bind: country), \(bind: inTrends.sqlValue), \(bind: now))
                RETURNING reply_policy
                """
            ).first()
            for tag in draft.hashtags {
                try await db.raw("INSERT INTO voice_tags (voice_id, tag) VALUES (\(bind: id), \(bind: tag))").run()
            }
            if draft.kind == .reply, let parentID = draft.inReplyTo {
                try await Self.countReply(on: parentID, shown: screening.state == .visible, db)
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
            if draft.kind == .pledge { try await Self.add(1, to: .pledges, db) }
            // The people who said *me too* grow as the all-time cell does (see `meTooKey` for who counts as whom).
            let newPeople = try await Self.recordMagnitude(
                of: draft, id: id, visibility: visibility, country: country, inTrends: inTrends, by: accountID, at: now, db)
            if newPeople > 0 { try await Self.add(Int(newPeople), to: .meTooPeople, db) }
            return WrittenVoice(voice: voice, answeredAccountID: answered)
        }
    }

    /// Where a reply goes, once `replyPlace` has checked that its writer may put it there.
    struct ReplyPlace {
        let threadRoot: Int64
        /// The author of the voice answered (told of the reply; never shown for an anonymous voice).
        let answeredAccountID: Int64
        /// The thread was started by the replier themselves, as `rootVisibility`.
        let inOwnThread: Bool
        let rootVisibility: Visibility
        /// The author of the (public) voice answered blocked the replier: the reply is kept for its writer alone.
        let keptApart: Bool

        /// The visibility a reply asked as `asked` takes: in one's own anonymous thread it stays anonymous (a public reply
        /// there would say who wrote it), and in one's own only-me thread it stays only-me (a journal note is private).
        func visibility(for asked: Visibility) -> Visibility? {
            guard inOwnThread else { return nil }
            switch rootVisibility {
            case .anonymous where asked == .public: return .anonymous
            case .onlyMe where asked != .onlyMe: return .onlyMe
            default: return nil
            }
        }
    }

    /// Checks that `replier` may answer the voice `parentID`, by what the thread's author chose for the whole thread (a
    /// reply to a reply is in the same thread), and that the voice answered is shown in it.
    ///
    /// Nothing here depends on who wrote an anonymous voice: "only people I follow" lets nobody but its author reply
    /// there (letting some through would tell them that the author follows them), and a block does not keep replies
    /// apart there (a reply that others never see would tell its writer that the author blocked them; `blocksAndMutes`
    /// still keeps it from the author's own eyes).
    static func replyPlace(_ db: any SQLDatabase, parentID: Int64, replier: Int64) async throws -> ReplyPlace {
        guard let parent = try await voice(db, id: parentID, viewer: replier),
            let row = try await db.raw(
                """
                SELECT p.account_id AS parent_author, r.id AS root_id, r.account_id AS root_author, r.visibility AS root_visibility,
                       r.reply_policy AS root_policy
                FROM voices p JOIN voices r ON r.id = p.thread_root_id WHERE p.id = \(bind: parentID)
                """
            ).first()
        else { throw parentGone }
        guard parent.state == .visible else {
            throw Refusal(.unprocessable, "This reply is not shown in the thread, so it can't be answered.")
        }
        let parentAuthor = try row.int64("parent_author")
        let rootAuthor = try row.int64("root_author")
        let rootVisibility = Visibility(rawValue: try row.string("root_visibility")) ?? .onlyMe
        let policy = ReplyPolicy(rawValue: try row.string("root_policy")) ?? .everyone
        var follows = false
        if rootVisibility == .public {
            follows =
                try await db.raw("SELECT 1 AS one FROM follows WHERE follower_id = \(bind: rootAuthor) AND followed_id = \(bind: replier)").first()
                != nil
        }
        guard policy.allowsTextReply(isAuthor: rootAuthor == replier, authorFollowsReplier: follows) else {
            throw Refusal(.unprocessable, policy.refusal)
        }
        let keptApart = try await isKeptApart(
            db, replier: replier, answered: (parentAuthor, parent.visibility == .public), root: (rootAuthor, rootVisibility == .public))
        return ReplyPlace(
            threadRoot: try row.int64("root_id"), answeredAccountID: parentAuthor, inOwnThread: rootAuthor == replier,
            rootVisibility: rootVisibility, keptApart: keptApart)
    }

    /// Whether a reply is kept for its writer alone: the author of the public voice it answers, or of the public thread
    /// it is in (answering another person's reply there), blocked its writer on their profile.
    static func isKeptApart(
        _ db: any SQLDatabase, replier: Int64, answered: (author: Int64, isPublic: Bool), root: (author: Int64, isPublic: Bool)
    ) async throws -> Bool {
        if answered.isPublic, try await isBlocked(db, blocker: answered.author, blocked: replier, onProfileOnly: true) { return true }
        guard root.isPublic, root.author != answered.author else { return false }
        return try await isBlocked(db, blocker: root.author, blocked: replier, onProfileOnly: true)
    }

    /// `isKeptApart` for a reply already written (one a moderator is about to show).
    static func isKeptApart(_ db: any SQLDatabase, replyID: Int64) async throws -> Bool {
        guard
            let row = try await db.raw(
                """
                SELECT r.account_id AS writer, p.account_id AS answered, p.visibility AS answered_visibility, t.account_id AS root,
                       t.visibility AS root_visibility
                FROM voices r JOIN voices p ON p.id = r.in_reply_to_id JOIN voices t ON t.id = r.thread_root_id WHERE r.id = \(bind: replyID)
                """
            ).first()
        else { return false }
        let isPublic = Visibility.public.rawValue
        return try await isKeptApart(
            db, replier: try row.int64("writer"), answered: (try row.int64("answered"), try row.string("answered_visibility") == isPublic),
            root: (try row.int64("root"), try row.string("root_visibility") == isPublic))
    }

    static let parentGone = Refusal(.notFound, "This voice is not here any more, so it can't be answered. It may have been deleted.")

    /// Counts a reply on its parent (held, it counts nothing but still finds the parent there: after a thread deleted
    /// meanwhile it is not, and the reply is refused with it).
    static func countReply(on parentID: Int64, shown: Bool, _ db: any SQLDatabase) async throws {
        let added: Int64 = shown ? 1 : 0
        guard
            try await db.raw("UPDATE voices SET reply_count = reply_count + \(bind: added) WHERE id = \(bind: parentID) RETURNING id").first() != nil
        else { throw parentGone }
    }

    /// Deletes a voice its author wrote, with the replies in its thread, and takes it out of every total. Returns the
    /// voices it took away that anyone could see (shown, not only-me), for the streams to be told.
    @discardableResult
    public func deleteVoice(id: Int64, by accountID: Int64) async throws -> [Int64] {
        let shown = try await database.write { db in
            guard let row = try await db.raw("SELECT account_id, thread_root_id FROM voices WHERE id = \(bind: id)").first(),
                try row.int64("account_id") == accountID
            else { throw Refusal.voiceNotFound() }
            let isRoot = try row.int64("thread_root_id") == id
            return try await Self.deleteVoices(db, where: isRoot ? "thread_root_id = \(id)" : "id = \(id)")
        }
        database.clearDeletedWords()
        return shown
    }

    /// Deletes the voices a condition selects (ids only in the condition, never text), keeping every total right.
    /// `keepingTotals`: for an account's erasure, whose voices leave the published totals as they are (see
    /// `VoicesOnDeletion.erase`); the counts each voice and thread shows still change. Returns the deleted voices anyone
    /// could see (shown, not only-me).
    @discardableResult
    static func deleteVoices(_ db: any SQLDatabase, where condition: String, keepingTotals: Bool = false) async throws -> [Int64] {
        // Locked: a voice deleted twice at once (or hidden as it is deleted) is taken off the totals once; a reply or a
        // belief written to it meanwhile waits, then finds it gone.
        let rows = try await db.raw(
            """
            SELECT id, account_id, kind, state, visibility, in_reply_to_id, believe_count FROM voices
            WHERE \(unsafeRaw: condition)\(unsafeRaw: db.forUpdate)
            """
        ).all()
        guard !rows.isEmpty else { return [] }
        if !keepingTotals { try await recordVoicesDeleted(where: condition, db) }
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
        // Their beliefs and tags go with them here, not by the schema's ON DELETE CASCADE, which SQLite does not apply
        // (its foreign keys are off): a belief left behind would be taken off the totals again when its writer is erased.
        for table in ["beliefs", "voice_tags"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE voice_id IN (SELECT id FROM voices WHERE \(unsafeRaw: condition))").run()
        }
        try await db.raw("DELETE FROM voices WHERE \(unsafeRaw: condition)").run()
        for account in Set(try rows.map { try $0.int64("account_id") }).sorted() { try await recountShownVoices(of: account, db) }
        if !keepingTotals {
            try await add(-beliefs, to: .beliefs, db)
            try await add(-pledges, to: .pledges, db)
        }
        for (account, count) in meTooByAccount {
            // (The people who said *me too* are taken off with the magnitude's cells, in `recordVoicesDeleted`.)
            try await db.raw("UPDATE accounts SET metoo_voices = metoo_voices - \(bind: Int64(count)) WHERE id = \(bind: account)").run()
        }
        for (parent, count) in repliesByParent {
            try await db.raw("UPDATE voices SET reply_count = reply_count - \(bind: Int64(count)) WHERE id = \(bind: parent)").run()
        }
        return try rows.filter { row in
            try row.string("state") == VoiceState.visible.rawValue && Visibility(rawValue: try row.string("visibility"))?.isListed == true
        }.map { try $0.int64("id") }
    }
}
