import ChorusCore
import SQLKit

/// A request sent again with an `Idempotency-Key` (an app's retry, a form sent twice) whose first request wrote a
/// voice: that voice, or nil when it has since been deleted. Thrown from the voice's own write, which it rolls back.
public struct IdempotentReplay: Error, Sendable, Equatable {
    public let voiceID: Int64?
}

extension ChorusStore {
    /// Keys are kept for a day, as Mastodon does for an hour at least.
    static let idempotencyLifetime: Int64 = 24 * 3600 * 1000

    /// Keeps `key` for the voice being written, in its transaction; throws `IdempotentReplay` when an earlier request
    /// kept it. On PostgreSQL a request with the same key still being written waits for it here, then finds its voice.
    static func keep(_ key: String, for voiceID: Int64, by accountID: Int64, now: Int64, _ db: any SQLDatabase) async throws {
        let hash = digest(key)
        // Expired keys go, and a key that an earlier version reserved without a voice (a request that died) is free.
        try await db.raw(
            """
            DELETE FROM idempotency_keys WHERE account_id = \(bind: accountID)
                AND (created_at < \(bind: now - idempotencyLifetime) OR (key_hash = \(bind: hash) AND voice_id IS NULL))
            """
        ).run()
        let inserted = try await db.raw(
            """
            INSERT INTO idempotency_keys (account_id, key_hash, voice_id, created_at) VALUES (\(bind: accountID), \(bind: hash), \(bind: voiceID), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING key_hash
            """
        ).all()
        guard inserted.isEmpty else { return }
        let earlier = try await db.raw(
            """
            SELECT v.id FROM idempotency_keys k LEFT JOIN voices v ON v.id = k.voice_id
            WHERE k.account_id = \(bind: accountID) AND k.key_hash = \(bind: hash)
            """
        ).first()
        throw IdempotentReplay(voiceID: try earlier?.optionalInt64("id"))
    }
}
