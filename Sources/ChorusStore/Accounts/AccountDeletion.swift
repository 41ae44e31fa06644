import ChorusCore
import SQLKit

/// What happens to a person's voices when they delete their account.
public enum VoicesOnDeletion: String, Sendable, CaseIterable {
    /// Every voice, reply, pledge and belief is erased. The published totals they were part of stay as they are: they
    /// hold nothing of the person, and a total that dropped by one as a named account vanished told that this person
    /// had said *me too* (even only in their private journal).
    case erase
    /// Voices and *I believe you* taps stay, shown as "someone"'s and still counted (a survivor's count does not drop
    /// because a supporter left); everything else is erased.
    case keepAnonymously = "keep_anonymously"
    /// Everything is erased, as `erase`, but each anonymous voice (with its thread) at its own random moment of the next
    /// `anonymousDelay`: gone in the same moment as the named account, they would be tied to it by anyone watching.
    case eraseAnonymousLater = "erase_anonymous_later"

    /// How long anonymous voices may wait, at most, for `eraseAnonymousLater`; at least a sixth of it.
    public static let anonymousDelay: Int64 = 72 * 3_600_000

    /// What `accounts.erasing` holds while the account is erased: 1 hides every voice at once, 2 all but the anonymous ones.
    var erasingMark: Int {
        switch self {
        case .erase: 1
        case .keepAnonymously: 0
        case .eraseAnonymousLater: 2
        }
    }
}

extension ChorusStore {
    /// Deletes an account. In the request's one transaction the person is signed out everywhere, can no longer sign
    /// in, their handle is freed and nothing of theirs is shown any more (kept voices become "someone"'s at once,
    /// erased ones are hidden); a job then erases the rows themselves, and commits with its completion, so it is done
    /// once. Nothing that identifies the person is kept; the published totals keep their count (see `erase`).
    public func deleteAccount(id: Int64, voices: VoicesOnDeletion) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM oauth_tokens WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM oauth_codes WHERE account_id = \(bind: id)").run()
            if voices == .keepAnonymously {
                try await db.raw("UPDATE voices SET visibility = 'anonymous' WHERE account_id = \(bind: id) AND visibility = 'public'").run()
                try await Self.recountShownVoices(of: id, db)
            }
            try await db.raw(
                """
                UPDATE accounts SET handle = \(bind: "deleted-\(id)"), display_handle = 'someone', display_name = '', password_hash = '',
                    country = NULL, language = NULL, deleted_at = \(bind: ChorusDatabase.now()),
                    erasing = \(bind: voices.erasingMark) WHERE id = \(bind: id) AND deleted_at IS NULL
                """
            ).run()
            try await Self.enqueue(
                db, kind: JobKind.eraseAccount, payload: "\(id) \(voices.rawValue)", uniqueKey: "\(JobKind.eraseAccount):\(id)", maxAttempts: 10)
        }
    }

    /// The public voices an erasure takes away from everyone's view, for apps' streams to be told (newest first, at
    /// most `limit`): the account's own, and the replies in its public threads. Never its anonymous voices, nor
    /// replies in its anonymous threads: announced in the same moment as the named ones, they would be tied to them.
    public func publicVoicesGoingWith(accountID: Int64, limit: Int = 1_000) async throws -> [Int64] {
        try await database.read { db in try await Self.publicVoicesGoingWith(accountID: accountID, limit: limit, db) }
    }

    static func publicVoicesGoingWith(accountID: Int64, limit: Int = 1_000, _ db: any SQLDatabase) async throws -> [Int64] {
        try await db.raw(
            """
            SELECT id FROM voices WHERE visibility = 'public' AND state = 'visible'
                AND (account_id = \(bind: accountID) OR thread_root_id IN (
                    SELECT id FROM voices WHERE account_id = \(bind: accountID) AND visibility = 'public' AND id = thread_root_id))
            ORDER BY id DESC LIMIT \(bind: Int64(limit))
            """
        ).all().map { try $0.int64("id") }
    }

    /// How many beliefs or voices one erasure job takes out before it hands the rest to the next job: a big
    /// account is erased in short transactions that never hold the counters for long.
    static let erasureChunk = 100

    /// The job's part of a deletion: every row the account left (the totals keep their count), a chunk at a
    /// time. A job that leaves work queues the next one in its own transaction, so the chain is never broken nor
    /// doubled; each chunk is safe to run again (what is gone is not found twice), though the job system runs it once.
    static func eraseAccountData(_ db: any SQLDatabase, job: Job) async throws {
        let parts = job.payload.split(separator: " ")
        guard parts.count == 2, let id = Int64(parts[0]), let voices = VoicesOnDeletion(rawValue: String(parts[1])) else {
            throw Refusal(
                .unprocessable, "This erasure job's payload “\(job.payload)” is not “account-id erase|keep_anonymously|erase_anonymous_later”.")
        }
        var budget = erasureChunk
        while budget > 0 {
            let erased = try await eraseStep(db, accountID: id, voices: voices, limit: budget)
            if erased == 0 { break }
            budget -= erased
        }
        if budget <= 0 {
            try await Self.enqueue(
                db, kind: JobKind.eraseAccount, payload: job.payload, uniqueKey: "\(JobKind.eraseAccount):\(id):after:\(job.id)", maxAttempts: 10)
            return
        }
        try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM follows WHERE follower_id = \(bind: id) OR followed_id = \(bind: id)").run()
        for statement in Self.accountDeletionHooks {
            try await db.raw(SQLQueryString(statement.replacingOccurrences(of: ":account", with: String(id)))).run()
        }
        if voices == .keepAnonymously {
            try await db.raw("UPDATE voices SET visibility = 'anonymous' WHERE account_id = \(bind: id) AND visibility = 'public'").run()
            try await recountShownVoices(of: id, db)
        }
        if voices == .eraseAnonymousLater {
            // The anonymous voices go later, each at its own random moment: gone together, or with the account, they
            // would be tied to each other and to it. A last sweep after the latest moment takes whatever is left.
            let now = ChorusDatabase.now()
            for row in try await db.raw("SELECT id FROM voices WHERE account_id = \(bind: id) AND visibility = 'anonymous'").all() {
                let voiceID = try row.int64("id")
                let delay = Int64.random(in: VoicesOnDeletion.anonymousDelay / 6...VoicesOnDeletion.anonymousDelay)
                try await Self.enqueue(
                    db, kind: JobKind.eraseAnonymousVoice, payload: String(voiceID), uniqueKey: "\(JobKind.eraseAnonymousVoice):\(voiceID)",
                    runAt: now + delay, maxAttempts: 10)
            }
            try await Self.enqueue(
                db, kind: JobKind.eraseAccount, payload: "\(id) \(VoicesOnDeletion.erase.rawValue)",
                uniqueKey: "\(JobKind.eraseAccount):\(id):anonymous", runAt: now + VoicesOnDeletion.anonymousDelay + 3_600_000, maxAttempts: 10)
        }
    }

    /// One anonymous voice of an account deleted with `eraseAnonymousLater`, with its thread when it started one.
    static func eraseAnonymousVoice(_ db: any SQLDatabase, job: Job) async throws {
        guard let voiceID = Int64(job.payload) else {
            throw Refusal(.unprocessable, "This erasure job's payload “\(job.payload)” is not a voice id.")
        }
        let waiting = try await db.raw(
            """
            SELECT v.thread_root_id FROM voices v JOIN accounts a ON a.id = v.account_id
            WHERE v.id = \(bind: voiceID) AND v.visibility = 'anonymous' AND a.erasing = 2
            """
        ).first()
        guard let waiting else { return }  // gone already (deleted by its author before, or by the sweep)
        let root = try waiting.int64("thread_root_id")
        try await deleteVoices(db, where: root == voiceID ? "thread_root_id = \(voiceID)" : "id = \(voiceID)", keepingTotals: true)
    }

    /// Erases up to `limit` of what is left, in order: the account's beliefs, then the threads it started (with
    /// everyone's replies), then its other voices (only its only-me ones when the rest are kept). Returns how many
    /// beliefs or voices (threads count once) it took out; 0 when nothing is left.
    private static func eraseStep(_ db: any SQLDatabase, accountID id: Int64, voices: VoicesOnDeletion, limit: Int) async throws -> Int {
        let limit = String(limit)
        func ids(_ query: String) async throws -> String? {
            let found = try await db.raw(SQLQueryString(query)).all().map { String(try $0.int64("id")) }
            return found.isEmpty ? nil : found.joined(separator: ", ")
        }
        // Erasing the anonymous voices later: now, every other one.
        let named = voices == .eraseAnonymousLater ? " AND visibility <> 'anonymous'" : ""
        switch voices {
        case .erase, .eraseAnonymousLater:
            let beliefs = try await db.raw(
                "SELECT id, voice_id, silent, created_at FROM beliefs WHERE account_id = \(bind: id) ORDER BY id LIMIT \(unsafeRaw: limit)"
            ).all()
            if !beliefs.isEmpty {
                for belief in beliefs {
                    // A silent belief (see BlockStore) was never counted on its voice, so nothing is taken back for it.
                    // The voice's own count drops with its list of believers; the published totals keep it (see `erase`).
                    if try belief.int64("silent") == 0 {
                        try await db.raw("UPDATE voices SET believe_count = believe_count - 1 WHERE id = \(bind: try belief.int64("voice_id"))").run()
                    }
                }
                let list = try beliefs.map { String(try $0.int64("id")) }.joined(separator: ", ")
                try await db.raw("DELETE FROM beliefs WHERE id IN (\(unsafeRaw: list))").run()
                return beliefs.count
            }
            if let roots = try await ids("SELECT id FROM voices WHERE account_id = \(id) AND id = thread_root_id\(named) ORDER BY id LIMIT \(limit)")
            {
                try await deleteVoices(db, where: "thread_root_id IN (\(roots))", keepingTotals: true)
                return roots.split(separator: ",").count
            }
            if let own = try await ids("SELECT id FROM voices WHERE account_id = \(id)\(named) ORDER BY id LIMIT \(limit)") {
                try await deleteVoices(db, where: "id IN (\(own))", keepingTotals: true)
                return own.split(separator: ",").count
            }
        case .keepAnonymously:
            if let journal = try await ids("SELECT id FROM voices WHERE account_id = \(id) AND visibility = 'only_me' ORDER BY id LIMIT \(limit)") {
                try await deleteVoices(db, where: "id IN (\(journal))", keepingTotals: true)
                return journal.split(separator: ",").count
            }
        }
        return 0
    }

    /// Statements later features add to account deletion (`:account` is replaced by the account id).
    static let accountDeletionHooks: [String] = [
        "DELETE FROM oauth_tokens WHERE account_id = :account",
        "DELETE FROM oauth_codes WHERE account_id = :account",
        "DELETE FROM idempotency_keys WHERE account_id = :account",
        "DELETE FROM notifications WHERE account_id = :account OR from_account_id = :account",
        "DELETE FROM followed_tags WHERE account_id = :account",
        "DELETE FROM read_markers WHERE account_id = :account",
        // A block or mute made from one of the person's anonymous voices stays on its maker's list: a line that vanished
        // as the person left would tell whose voice it was.
        "DELETE FROM blocks WHERE blocker_id = :account OR (blocked_id = :account AND via_voice_id = 0)",
        "DELETE FROM mutes WHERE muter_id = :account OR (muted_id = :account AND via_voice_id = 0)",
        "DELETE FROM reports WHERE reporter_id = :account",
        "DELETE FROM data_exports WHERE account_id = :account",
        // What tied the person to the totals they stay counted in (who was counted in which hour, day and hashtag).
        "DELETE FROM magnitude_people WHERE account_id IN (:account, \(journalKeyOfAccountSQL))",
        "DELETE FROM tag_day_accounts WHERE account_id = :account",
        // Decisions stay counted for transparency; the person's own words in an appeal go, and an open appeal is withdrawn.
        """
        UPDATE moderation_actions SET appeal_text = NULL,
            appeal_state = CASE WHEN appeal_state = 'open' THEN 'withdrawn' ELSE appeal_state END WHERE account_id = :account
        """,
    ]
}
