import ChorusCore
import SQLKit

extension ChorusStore {
    /// One *I believe you* tap, once per account. Returns the voice with its new count.
    public func believe(voiceID: Int64, by accountID: Int64) async throws -> Voice {
        let now = ChorusDatabase.now()
        return try await database.write { db in
            guard let voice = try await Self.voice(db, id: voiceID, viewer: accountID), voice.state == .visible || voice.isMine else {
                throw Refusal.voiceNotFound()
            }
            guard voice.replyPolicy.allowsBelief || voice.isMine else { throw Refusal(.unprocessable, voice.replyPolicy.refusal) }
            guard !voice.readerBelieves else { throw Refusal(.conflict, "You have already said “I believe you” to this voice.") }
            // A belief from someone the author blocked is kept for its writer alone and not counted (see BlockStore). On an
            // anonymous voice it counts as anyone's: a count that others see unmoved would tell its writer who blocked them.
            var silent = false
            if voice.visibility == .public {
                let author = try await db.raw("SELECT account_id FROM voices WHERE id = \(bind: voiceID)").first()?.int64("account_id") ?? accountID
                silent = try await Self.isBlocked(db, blocker: author, blocked: accountID, onProfileOnly: true)
            }
            // Two taps at once from the same account (two apps, a double click) race past the check above on
            // PostgreSQL; the second finds the first's row and is told so, as if it had come later.
            let inserted = try await db.raw(
                """
                INSERT INTO beliefs (id, voice_id, account_id, created_at, silent)
                VALUES (\(bind: VoiceID.make(at: now)), \(bind: voiceID), \(bind: accountID), \(bind: now), \(bind: silent.sqlValue))
                ON CONFLICT (voice_id, account_id) DO NOTHING RETURNING id
                """
            ).first()
            guard inserted != nil else { throw Refusal(.conflict, "You have already said “I believe you” to this voice.") }
            if !silent {
                // The voice is still there (its writer may have deleted it meanwhile: the belief then goes with it).
                guard try await db.raw("UPDATE voices SET believe_count = believe_count + 1 WHERE id = \(bind: voiceID) RETURNING id").first() != nil
                else { throw Refusal.voiceNotFound() }
                try await Self.add(1, to: .beliefs, db)
                try await Self.recordBelief(by: accountID, at: now, db)
            }
            guard let updated = try await Self.voice(db, id: voiceID, viewer: accountID) else { throw Refusal.voiceNotFound() }
            return updated
        }
    }

    /// Takes an *I believe you* back. Taking back one never given changes nothing.
    public func unbelieve(voiceID: Int64, by accountID: Int64) async throws -> Voice {
        try await database.write { db in
            guard try await Self.voice(db, id: voiceID, viewer: accountID) != nil else { throw Refusal.voiceNotFound() }
            // One statement deletes the belief, silent or counted, and says which it was: two statements saw two moments
            // on PostgreSQL, and a belief given between them was deleted without being uncounted.
            let removed = try await db.raw(
                "DELETE FROM beliefs WHERE voice_id = \(bind: voiceID) AND account_id = \(bind: accountID) RETURNING created_at, silent"
            ).all().filter { try !$0.bool("silent") }
            if !removed.isEmpty {
                try await db.raw("UPDATE voices SET believe_count = believe_count - 1 WHERE id = \(bind: voiceID)").run()
                try await Self.add(-1, to: .beliefs, db)
                try await Self.recordBeliefTakenBack(by: accountID, givenAt: try removed[0].int64("created_at"), db)
            }
            guard let updated = try await Self.voice(db, id: voiceID, viewer: accountID) else { throw Refusal.voiceNotFound() }
            return updated
        }
    }

    /// Voices an account said *I believe you* to, newest belief first, with the belief ids as cursors.
    public func believedVoices(by accountID: Int64, page: PageRequest = .init()) async throws -> [(beliefID: Int64, voice: Voice)] {
        let ids: [(Int64, Int64)] = try await database.read { db in
            var query: SQLQueryString = "SELECT b.id, b.voice_id FROM beliefs b WHERE b.account_id = \(bind: accountID)"
            if let maxID = page.maxID { query.appendInterpolation(unsafeRaw: " AND b.id < "); query.appendInterpolation(bind: maxID) }
            if let sinceID = page.sinceID ?? page.minID {
                query.appendInterpolation(unsafeRaw: " AND b.id > "); query.appendInterpolation(bind: sinceID)
            }
            query.appendInterpolation(unsafeRaw: " ORDER BY b.id DESC LIMIT \(page.limit)")
            return try await db.raw(query).all().map { (try $0.int64("id"), try $0.int64("voice_id")) }
        }
        let voices = Dictionary(uniqueKeysWithValues: try await voices(ids: ids.map(\.1), viewer: accountID).map { ($0.id, $0) })
        return ids.compactMap { pair in voices[pair.1].map { (pair.0, $0) } }
    }

    /// Whether `account` (a believer, or whoever a notification is from) wrote the voice `voice`, or its thread, when that
    /// voice or thread is not public: naming them there would name an anonymous author. Both are column names.
    static func isAnonymousAuthor(account: String, ofVoice voice: String) -> String {
        """
        EXISTS (SELECT 1 FROM voices ax JOIN voices ar ON ar.id = ax.thread_root_id WHERE ax.id = \(voice)
            AND ((ax.visibility <> 'public' AND ax.account_id = \(account)) OR (ar.visibility <> 'public' AND ar.account_id = \(account))))
        """
    }

    /// Accounts that said *I believe you* to a voice, newest first. The author of an anonymous voice or thread is never
    /// among them, even when they said it in their own thread.
    public func believers(voiceID: Int64, page: PageRequest = .init()) async throws -> [(beliefID: Int64, account: Account)] {
        try await database.read { db in
            var query: SQLQueryString = """
                SELECT b.id AS belief_id, \(unsafeRaw: Self.accountColumns) FROM beliefs b JOIN accounts a ON a.id = b.account_id
                WHERE b.voice_id = \(bind: voiceID) AND b.silent = 0 AND a.deleted_at IS NULL
                  AND NOT \(unsafeRaw: Self.isAnonymousAuthor(account: "b.account_id", ofVoice: "b.voice_id"))
                """
            if let maxID = page.maxID { query.appendInterpolation(unsafeRaw: " AND b.id < "); query.appendInterpolation(bind: maxID) }
            if let sinceID = page.sinceID ?? page.minID {
                query.appendInterpolation(unsafeRaw: " AND b.id > "); query.appendInterpolation(bind: sinceID)
            }
            query.appendInterpolation(unsafeRaw: " ORDER BY b.id DESC LIMIT \(page.limit)")
            return try await db.raw(query).all().map { (try $0.int64("belief_id"), try Self.account(from: $0)) }
        }
    }
}
