import ChorusCore
import SQLKit

/// How voices are read: one SELECT shape, and one rule for who may see what.
extension ChorusStore {
    /// A voice is seen by others only when it is listed, visible and its author is not suspended; its author always sees it.
    /// Nobody sees the voices of an account being erased, nor the replies in its threads (the job that erases them
    /// may not have run yet).
    /// An anonymous voice's author columns are never selected for anyone: they are NULL in the row itself.
    /// Someone the author blocked sees their own kept-apart belief and reply counted, as anyone else would: a count that
    /// did not move would tell them that this anonymous voice is by someone who blocked them.
    /// `alsoShowing` lets a caller widen who sees what (a survivor's held replies, a moderator's queue); blocks and mutes
    /// still apply, except with `personalBoundaries: false`: a moderator's own blocks and mutes hide nothing they decide.
    ///
    /// `through` names a table with a `voice_id` column, aliased `lead`, that is read first: a hashtag's newest voices
    /// are then read from its index in order (`order: "lead.voice_id"`), whatever the number of voices.
    static func voiceSelect(
        viewer: Int64?, alsoShowing extra: SQLQueryString? = nil, through: String? = nil, personalBoundaries: Bool = true
    ) -> SQLQueryString {
        let reader = viewer ?? -1
        let widened: SQLQueryString = extra.map { (extra: SQLQueryString) -> SQLQueryString in " OR (\(extra))" } ?? ""
        // CROSS JOIN keeps SQLite's join order as written (PostgreSQL plans it as a plain join): the voices (or the
        // leading table) are read first, in id order from their index, and only then their authors. Left to itself,
        // SQLite may read every account first and sort all their voices to find the newest twenty.
        let source: SQLQueryString =
            through.map {
                "FROM \(unsafeRaw: $0) lead CROSS JOIN voices v CROSS JOIN accounts a WHERE v.id = lead.voice_id AND a.id = v.account_id AND "
            } ?? "FROM voices v CROSS JOIN accounts a WHERE a.id = v.account_id AND "
        return """
            SELECT v.id, v.kind, v.visibility, v.state, v.text, v.content_warning, v.language, v.in_reply_to_id, v.thread_root_id,
                   v.reply_policy, v.guard_label, v.crisis, v.created_at,
                   v.believe_count + CASE WHEN EXISTS (SELECT 1 FROM beliefs sb WHERE sb.voice_id = v.id AND sb.account_id = \(bind: reader)
                       AND sb.silent = 1) THEN 1 ELSE 0 END AS believe_count,
                   v.reply_count + (SELECT COUNT(*) FROM voices sr WHERE sr.in_reply_to_id = v.id AND sr.account_id = \(bind: reader)
                       AND sr.state = 'hidden' AND NOT EXISTS (SELECT 1 FROM moderation_actions sm WHERE sm.voice_id = sr.id)) AS reply_count,
                   CASE WHEN v.visibility = 'public' THEN a.id ELSE NULL END AS author_id,
                   CASE WHEN v.visibility = 'public' THEN a.display_handle ELSE NULL END AS author_handle,
                   CASE WHEN v.visibility = 'public' THEN a.display_name ELSE NULL END AS author_name,
                   CASE WHEN v.account_id = \(bind: reader) THEN 1 ELSE 0 END AS is_mine,
                   CASE WHEN EXISTS (SELECT 1 FROM beliefs b WHERE b.voice_id = v.id AND b.account_id = \(bind: reader)) THEN 1 ELSE 0 END
                       AS reader_believes
            \(source)\(unsafeRaw: Self.notErasing("a", "v"))
                AND ((v.visibility <> 'only_me' AND v.state = 'visible' AND \(unsafeRaw: authorShown)) OR v.account_id = \(bind: reader)\(widened))
            """ + notInAnErasedThread + blocksAndMutes(viewer: personalBoundaries ? viewer : nil)
    }

    /// Whether a voice (aliased `voice`) of an account (`account`) is shown as far as erasure goes: every voice of an
    /// account not being erased, and the anonymous ones of an account whose anonymous voices go later (see
    /// `VoicesOnDeletion.eraseAnonymousLater`).
    static func notErasing(_ account: String, _ voice: String) -> String {
        "(\(account).erasing = 0 OR (\(account).erasing = 2 AND \(voice).visibility = 'anonymous'))"
    }

    /// Replies in a thread started by an account being erased go with it: hidden at once, erased by the job.
    static let notInAnErasedThread: SQLQueryString = """
         AND (v.thread_root_id = v.id OR NOT EXISTS (
            SELECT 1 FROM voices tr JOIN accounts ta ON ta.id = tr.account_id
            WHERE tr.id = v.thread_root_id AND NOT \(unsafeRaw: Self.notErasing("ta", "tr"))))
        """

    static func voice(from row: any SQLRow) throws -> Voice {
        let author: VoiceAuthor
        if let id = try row.optionalInt64("author_id") {
            author = .account(id: id, handle: try row.string("author_handle"), displayName: try row.string("author_name"))
        } else {
            author = .someone
        }
        return Voice(
            id: try row.int64("id"),
            kind: VoiceKind(rawValue: try row.string("kind")) ?? .note,
            text: try row.string("text"),
            contentWarning: try row.optionalString("content_warning"),
            visibility: Visibility(rawValue: try row.string("visibility")) ?? .onlyMe,
            language: try row.optionalString("language"),
            inReplyTo: try row.optionalInt64("in_reply_to_id"),
            threadRoot: try row.int64("thread_root_id"),
            replyPolicy: ReplyPolicy(rawValue: try row.string("reply_policy")) ?? .everyone,
            believeCount: try row.int("believe_count"),
            replyCount: try row.int("reply_count"),
            createdAt: try row.int64("created_at"),
            author: author,
            state: VoiceState(rawValue: try row.string("state")) ?? .hidden,
            guardLabel: try row.optionalString("guard_label"),
            crisis: try row.bool("crisis"),
            isMine: try row.bool("is_mine"),
            readerBelieves: try row.bool("reader_believes")
        )
    }

    /// Appends the cursor conditions and order of a page, newest first (oldest first for `min_id`, reversed after).
    /// One page in id order, for any list: `order` is the column (or aggregate) the ids are read from, `v.id` for voices.
    static func paged(_ query: SQLQueryString, _ page: PageRequest, order: String = "v.id") -> SQLQueryString {
        var query = query
        if let maxID = page.maxID { query.appendInterpolation(unsafeRaw: " AND \(order) < "); query.appendInterpolation(bind: maxID) }
        if let sinceID = page.sinceID { query.appendInterpolation(unsafeRaw: " AND \(order) > "); query.appendInterpolation(bind: sinceID) }
        if let minID = page.minID {
            query.appendInterpolation(unsafeRaw: " AND \(order) > ")
            query.appendInterpolation(bind: minID)
            query.appendInterpolation(unsafeRaw: " ORDER BY \(order) ASC LIMIT \(page.limit)")
        } else {
            query.appendInterpolation(unsafeRaw: " ORDER BY \(order) DESC LIMIT \(page.limit)")
        }
        return query
    }

    static func voices(_ db: any SQLDatabase, _ query: SQLQueryString, _ page: PageRequest, order: String = "v.id") async throws -> [Voice] {
        let voices = try await db.raw(paged(query, page, order: order)).all().map(Self.voice(from:))
        return page.minID == nil ? voices : voices.reversed()
    }

    /// One voice as `viewer` may see it, or nil.
    public func voice(id: Int64, viewer: Int64?) async throws -> Voice? {
        try await database.read { db in try await Self.voice(db, id: id, viewer: viewer) }
    }

    static func voice(_ db: any SQLDatabase, id: Int64, viewer: Int64?) async throws -> Voice? {
        var query = voiceSelect(viewer: viewer)
        query.appendInterpolation(unsafeRaw: " AND v.id = ")
        query.appendInterpolation(bind: id)
        return try await db.raw(query).first().map(Self.voice(from:))
    }

    /// Voices by id, as `viewer` may see them, in the order asked (missing ones left out).
    public func voices(ids: [Int64], viewer: Int64?) async throws -> [Voice] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            var query = Self.voiceSelect(viewer: viewer)
            query.appendInterpolation(unsafeRaw: " AND v.id IN (")
            for (index, id) in ids.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
            let found = Dictionary(try await db.raw(query).all().map(Self.voice(from:)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            return ids.compactMap { found[$0] }
        }
    }

    /// A thread: the voice that started it and every reply `viewer` may see, oldest first.
    public func thread(rootID: Int64, viewer: Int64?) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: viewer)
            query.appendInterpolation(unsafeRaw: " AND v.thread_root_id = ")
            query.appendInterpolation(bind: rootID)
            query.appendInterpolation(unsafeRaw: " ORDER BY v.id ASC LIMIT 1000")
            return try await db.raw(query).all().map(Self.voice(from:))
        }
    }

    /// The newest listed voices of some kinds (all kinds when empty) that `viewer` may see.
    public func newestVoices(kinds: [VoiceKind] = [], viewer: Int64?, page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: viewer)
            query.appendInterpolation(unsafeRaw: " AND v.visibility <> 'only_me'")
            if !kinds.isEmpty {
                query.appendInterpolation(unsafeRaw: " AND v.kind IN (\(kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
            }
            return try await Self.voices(db, query, page)
        }
    }

    /// Listed voices carrying a hashtag (normalised).
    public func voices(tag: String, viewer: Int64?, page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: viewer, through: "voice_tags")
            query.appendInterpolation(unsafeRaw: " AND v.visibility <> 'only_me' AND lead.tag = ")
            query.appendInterpolation(bind: Hashtags.normalise(tag))
            return try await Self.voices(db, query, page, order: "lead.voice_id")
        }
    }

    /// A profile's voices: public ones only, never anonymous or only-me, whoever is reading.
    /// `tagged`: only the voices with this hashtag (normalised), so that a page holds the newest of those.
    public func publicVoices(
        accountID: Int64, viewer: Int64?, kinds: [VoiceKind] = [], tagged: String? = nil, page: PageRequest = .init()
    ) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: viewer)
            query.appendInterpolation(unsafeRaw: " AND v.visibility = 'public' AND v.account_id = ")
            query.appendInterpolation(bind: accountID)
            if !kinds.isEmpty {
                query.appendInterpolation(unsafeRaw: " AND v.kind IN (\(kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
            }
            if let tagged {
                query.appendInterpolation(unsafeRaw: " AND EXISTS (SELECT 1 FROM voice_tags t WHERE t.voice_id = v.id AND t.tag = ")
                query.appendInterpolation(bind: tagged)
                query.appendInterpolation(unsafeRaw: ")")
            }
            return try await Self.voices(db, query, page)
        }
    }

    /// Who wrote a reply and whose voice it answers (accounts' ids, for notifying; never shown), or nil.
    public func replyParties(ofReply id: Int64) async throws -> (writer: Int64, answered: Int64)? {
        try await database.read { db in
            guard
                let row = try await db.raw(
                    "SELECT r.account_id AS writer, p.account_id AS answered FROM voices r JOIN voices p ON p.id = r.in_reply_to_id WHERE r.id = \(bind: id)"
                ).first()
            else { return nil }
            return (try row.int64("writer"), try row.int64("answered"))
        }
    }

    /// A person's private journal: their only-me voices.
    public func journal(accountID: Int64, page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: accountID)
            query.appendInterpolation(unsafeRaw: " AND v.visibility = 'only_me' AND v.account_id = ")
            query.appendInterpolation(bind: accountID)
            return try await Self.voices(db, query, page)
        }
    }

    /// Every voice a person wrote, including anonymous and only-me ones: for their own eyes only.
    public func ownVoices(accountID: Int64, page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: accountID)
            query.appendInterpolation(unsafeRaw: " AND v.account_id = ")
            query.appendInterpolation(bind: accountID)
            return try await Self.voices(db, query, page)
        }
    }
}
