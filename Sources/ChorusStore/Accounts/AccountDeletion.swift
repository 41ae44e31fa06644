import ChorusCore
import SQLKit

/// What happens to a person's voices when they delete their account.
public enum VoicesOnDeletion: String, Sendable, CaseIterable {
    /// Every voice, reply, pledge and belief is erased, and taken out of the totals.
    case erase
    /// Voices stay, shown as "someone" and still counted; everything else is erased.
    case keepAnonymously = "keep_anonymously"
}

extension ChorusStore {
    /// Deletes an account. In the request's one transaction the person is signed out everywhere, can no longer sign
    /// in, their handle is freed and nothing of theirs is shown any more (kept voices become "someone"'s at once,
    /// erased ones are hidden); a job then erases the rows themselves, with the totals, and commits with its
    /// completion, so it is done once. Nothing that identifies the person is kept.
    public func deleteAccount(id: Int64, voices: VoicesOnDeletion) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM oauth_tokens WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM oauth_codes WHERE account_id = \(bind: id)").run()
            if voices == .keepAnonymously {
                try await db.raw("UPDATE voices SET visibility = 'anonymous' WHERE account_id = \(bind: id) AND visibility = 'public'").run()
            }
            try await db.raw(
                """
                UPDATE accounts SET handle = \(bind: "deleted-\(id)"), display_handle = 'someone', display_name = '', password_hash = '',
                    country = NULL, language = NULL, deleted_at = \(bind: ChorusDatabase.now()),
                    erasing = \(bind: voices == .erase ? 1 : 0) WHERE id = \(bind: id) AND deleted_at IS NULL
                """
            ).run()
            try await Self.enqueue(
                db, kind: JobKind.eraseAccount, payload: "\(id) \(voices.rawValue)", uniqueKey: "\(JobKind.eraseAccount):\(id)", maxAttempts: 10)
        }
    }

    /// The job's part of a deletion: every row the account left, with the totals they were counted in. Safe to run
    /// again (what is gone is not found twice), though the job system runs it once.
    static func eraseAccountData(_ db: any SQLDatabase, payload: String) async throws {
        let parts = payload.split(separator: " ")
        guard parts.count == 2, let id = Int64(parts[0]), let voices = VoicesOnDeletion(rawValue: String(parts[1])) else {
            throw Refusal(.unprocessable, "This erasure job's payload “\(payload)” is not “account-id erase|keep_anonymously”.")
        }
        try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
        try await db.raw("DELETE FROM follows WHERE follower_id = \(bind: id) OR followed_id = \(bind: id)").run()
        for statement in Self.accountDeletionHooks {
            try await db.raw(SQLQueryString(statement.replacingOccurrences(of: ":account", with: String(id)))).run()
        }
        switch voices {
        case .erase:
            let believed = try await db.raw("SELECT voice_id FROM beliefs WHERE account_id = \(bind: id) AND silent = 0").all().map {
                try $0.int64("voice_id")
            }
            for voiceID in believed {
                try await db.raw("UPDATE voices SET believe_count = believe_count - 1 WHERE id = \(bind: voiceID)").run()
            }
            try await Self.recordBeliefsErased(by: id, db)
            try await db.raw("DELETE FROM beliefs WHERE account_id = \(bind: id)").run()
            try await Self.add(-believed.count, to: .beliefs, db)
            try await Self.deleteVoices(db, where: "thread_root_id IN (SELECT id FROM voices WHERE account_id = \(id) AND id = thread_root_id)")
            try await Self.deleteVoices(db, where: "account_id = \(id)")
        case .keepAnonymously:
            try await db.raw("UPDATE voices SET visibility = 'anonymous' WHERE account_id = \(bind: id) AND visibility = 'public'").run()
            try await Self.deleteVoices(db, where: "account_id = \(id) AND visibility = 'only_me'")
        }
    }

    /// Statements later features add to account deletion (`:account` is replaced by the account id).
    static let accountDeletionHooks: [String] = [
        "DELETE FROM oauth_tokens WHERE account_id = :account",
        "DELETE FROM oauth_codes WHERE account_id = :account",
        "DELETE FROM idempotency_keys WHERE account_id = :account",
        "DELETE FROM notifications WHERE account_id = :account OR from_account_id = :account",
        "DELETE FROM followed_tags WHERE account_id = :account",
        "DELETE FROM blocks WHERE blocker_id = :account OR blocked_id = :account",
        "DELETE FROM mutes WHERE muter_id = :account OR muted_id = :account",
        "DELETE FROM reports WHERE reporter_id = :account",
        "DELETE FROM data_exports WHERE account_id = :account",
        // Decisions stay counted for transparency; the person's own words in an appeal go, and an open appeal is withdrawn.
        """
        UPDATE moderation_actions SET appeal_text = NULL,
            appeal_state = CASE WHEN appeal_state = 'open' THEN 'withdrawn' ELSE appeal_state END WHERE account_id = :account
        """,
    ]
}
