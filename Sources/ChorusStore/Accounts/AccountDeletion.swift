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
    /// Deletes an account in one transaction. The handle is freed; nothing that identifies the person is kept.
    public func deleteAccount(id: Int64, voices: VoicesOnDeletion) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: id)").run()
            try await db.raw("DELETE FROM follows WHERE follower_id = \(bind: id) OR followed_id = \(bind: id)").run()
            for statement in Self.accountDeletionHooks {
                try await db.raw(SQLQueryString(statement.replacingOccurrences(of: ":account", with: String(id)))).run()
            }
            switch voices {
            case .erase:
                let believed = try await db.raw("SELECT voice_id FROM beliefs WHERE account_id = \(bind: id)").all().map { try $0.int64("voice_id") }
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
            try await db.raw(
                """
                UPDATE accounts SET handle = \(bind: "deleted-\(id)"), display_handle = 'someone', display_name = '', password_hash = '',
                    country = NULL, language = NULL, deleted_at = \(bind: ChorusDatabase.now()) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    /// Statements later features add to account deletion (`:account` is replaced by the account id).
    static let accountDeletionHooks: [String] = []
}
