import ChorusCore
import SQLKit

/// `Idempotency-Key` for new statuses: a replayed request returns the first status and creates nothing.
public enum IdempotencyReservation: Sendable, Equatable {
    /// The key is new and now reserved for this request.
    case reserved
    /// The key was used before: the voice it made (nil while the first request is still being written, or if it failed).
    case used(voiceID: Int64?)
}

extension ChorusStore {
    /// Keys are kept for a day, as Mastodon does for an hour at least.
    static let idempotencyLifetime: Int64 = 24 * 3600 * 1000

    public func reserveIdempotencyKey(_ key: String, accountID: Int64) async throws -> IdempotencyReservation {
        let now = ChorusDatabase.now()
        let hash = Self.digest(key)
        return try await database.write { db in
            try await db.raw(
                "DELETE FROM idempotency_keys WHERE account_id = \(bind: accountID) AND created_at < \(bind: now - Self.idempotencyLifetime)"
            ).run()
            let inserted = try await db.raw(
                """
                INSERT INTO idempotency_keys (account_id, key_hash, voice_id, created_at) VALUES (\(bind: accountID), \(bind: hash), NULL, \(bind: now))
                ON CONFLICT DO NOTHING RETURNING key_hash
                """
            ).all()
            if !inserted.isEmpty { return .reserved }
            let row = try await db.raw(
                "SELECT voice_id FROM idempotency_keys WHERE account_id = \(bind: accountID) AND key_hash = \(bind: hash)"
            ).first()
            return .used(voiceID: try row?.optionalInt64("voice_id"))
        }
    }

    public func completeIdempotencyKey(_ key: String, accountID: Int64, voiceID: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                "UPDATE idempotency_keys SET voice_id = \(bind: voiceID) WHERE account_id = \(bind: accountID) AND key_hash = \(bind: Self.digest(key))"
            ).run()
        }
    }

    /// Frees a key whose request failed, so the same request can be sent again.
    public func releaseIdempotencyKey(_ key: String, accountID: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                "DELETE FROM idempotency_keys WHERE account_id = \(bind: accountID) AND key_hash = \(bind: Self.digest(key)) AND voice_id IS NULL"
            ).run()
        }
    }
}
