import ChorusCore
import SQLKit

/// One block or mute as its maker sees it. For one made from an anonymous voice, the author is never named.
public struct BoundaryEntry: Sendable, Equatable {
    /// The account blocked or muted, for one made on a profile; nil when it was made from an anonymous voice.
    public let handle: String?
    /// The anonymous voice it was made from, or nil.
    public let viaVoiceID: Int64?
    public let createdAt: Int64

    public init(handle: String?, viaVoiceID: Int64?, createdAt: Int64) {
        self.handle = handle
        self.viaVoiceID = viaVoiceID
        self.createdAt = createdAt
    }
}

/// Blocks and mutes. A block keeps two people apart; a mute only quiets someone for the person who muted them.
///
/// Anonymity holds both ways: a block or mute made on a profile never hides that person's anonymous voices (doing so would
/// show which ones are theirs), and one made from an anonymous voice hides that voice alone, never the author's other
/// voices, public or anonymous (hiding those would show which voices share an author). A person blocked on their profile stops seeing the blocker's public voices, and a reply or belief
/// they leave on one of them (or a reply anywhere in the blocker's public thread) is kept for its writer alone. One
/// blocked from an anonymous voice sees and acts as before: anything they met differently would tell the blocker which
/// account wrote that voice. The blocker's anonymous voices stay readable, and a reply
/// or belief there counts as anyone's, for everyone but the blocker (who does not see the reply and is not notified):
/// anything that others saw differently would tell the blocked person which anonymous voices are the blocker's.
extension ChorusStore {
    /// The condition `voiceSelect` appends: nothing for signed-out readers.
    static func blocksAndMutes(viewer: Int64?) -> SQLQueryString {
        guard let viewer else { return "" }
        return """
             AND (v.account_id = \(bind: viewer) OR (
                NOT EXISTS (SELECT 1 FROM blocks k WHERE k.blocker_id = \(bind: viewer) AND k.blocked_id = v.account_id
                    AND \(unsafeRaw: boundaryCovers("k")))
                AND NOT EXISTS (SELECT 1 FROM blocks k WHERE k.blocked_id = \(bind: viewer) AND k.blocker_id = v.account_id
                    AND k.via_voice_id = 0 AND v.visibility = 'public')
                AND NOT EXISTS (SELECT 1 FROM mutes m WHERE m.muter_id = \(bind: viewer) AND m.muted_id = v.account_id
                    AND \(unsafeRaw: boundaryCovers("m")))))
            """
    }

    /// Whether a block or mute (`alias`) covers the voice `v` of the account it names: one made on a profile covers the
    /// account's public voices; one made from an anonymous voice covers that voice alone. (Covering the author's other
    /// anonymous voices too would tell the blocker which ones share an author.)
    private static func boundaryCovers(_ alias: String) -> String {
        "((v.visibility = 'public' AND \(alias).via_voice_id = 0) OR (v.visibility <> 'public' AND \(alias).via_voice_id = v.id))"
    }

    /// Whether `blocker` has blocked `blocked`: in any way, or `onProfileOnly` on the profile (not from an anonymous voice).
    static func isBlocked(_ db: any SQLDatabase, blocker: Int64, blocked: Int64, onProfileOnly: Bool = false) async throws -> Bool {
        let profile: SQLQueryString = onProfileOnly ? " AND via_voice_id = 0" : ""
        return try await db.raw(
            "SELECT 1 AS one FROM blocks WHERE blocker_id = \(bind: blocker) AND blocked_id = \(bind: blocked)\(profile)"
        ).first() != nil
    }

    /// Blocks an account, from its profile.
    public func block(accountID: Int64, by blockerID: Int64) async throws {
        try await addBoundary("blocks", "blocker_id", "blocked_id", target: accountID, via: 0, by: blockerID)
    }

    /// Blocks whoever wrote a voice, without the blocker ever learning who it is.
    public func blockAuthor(ofVoice voiceID: Int64, by blockerID: Int64) async throws {
        let author = try await authorForBoundary(voiceID: voiceID, viewer: blockerID)
        try await addBoundary("blocks", "blocker_id", "blocked_id", target: author.id, via: author.anonymous ? voiceID : 0, by: blockerID)
    }

    public func unblock(accountID: Int64, by blockerID: Int64) async throws {
        try await removeBoundary("blocks", "blocker_id", "blocked_id", target: accountID, via: nil, by: blockerID)
    }

    /// Lifts a block made from an anonymous voice.
    public func unblockAuthor(ofVoice voiceID: Int64, by blockerID: Int64) async throws {
        try await removeBoundary("blocks", "blocker_id", "blocked_id", target: nil, via: voiceID, by: blockerID)
    }

    public func mute(accountID: Int64, by muterID: Int64) async throws {
        try await addBoundary("mutes", "muter_id", "muted_id", target: accountID, via: 0, by: muterID)
    }

    public func muteAuthor(ofVoice voiceID: Int64, by muterID: Int64) async throws {
        let author = try await authorForBoundary(voiceID: voiceID, viewer: muterID)
        try await addBoundary("mutes", "muter_id", "muted_id", target: author.id, via: author.anonymous ? voiceID : 0, by: muterID)
    }

    public func unmute(accountID: Int64, by muterID: Int64) async throws {
        try await removeBoundary("mutes", "muter_id", "muted_id", target: accountID, via: nil, by: muterID)
    }

    public func unmuteAuthor(ofVoice voiceID: Int64, by muterID: Int64) async throws {
        try await removeBoundary("mutes", "muter_id", "muted_id", target: nil, via: voiceID, by: muterID)
    }

    /// The blocks a person made, newest first.
    public func blocks(by accountID: Int64) async throws -> [BoundaryEntry] {
        try await boundaries("blocks", "blocker_id", "blocked_id", of: accountID)
    }

    /// The mutes a person made, newest first.
    public func mutes(by accountID: Int64) async throws -> [BoundaryEntry] {
        try await boundaries("mutes", "muter_id", "muted_id", of: accountID)
    }

    /// Whether `viewer` blocked or muted an account on its profile: `(blocked, muted)`.
    public func boundaries(towards accountID: Int64, from viewer: Int64) async throws -> (blocked: Bool, muted: Bool) {
        try await database.read { db in
            let blocked =
                try await db.raw(
                    "SELECT 1 AS one FROM blocks WHERE blocker_id = \(bind: viewer) AND blocked_id = \(bind: accountID) AND via_voice_id = 0"
                ).first() != nil
            let muted =
                try await db.raw("SELECT 1 AS one FROM mutes WHERE muter_id = \(bind: viewer) AND muted_id = \(bind: accountID) AND via_voice_id = 0")
                .first() != nil
            return (blocked, muted)
        }
    }

    /// The author of a voice the person can see, and whether it is anonymous (then it is only used inside the store).
    private func authorForBoundary(voiceID: Int64, viewer: Int64) async throws -> (id: Int64, anonymous: Bool) {
        try await database.read { db in
            guard try await Self.voiceOrHeldReplyToOwnThread(db, id: voiceID, viewer: viewer, ignoringBlocks: true) != nil,
                let row = try await db.raw("SELECT account_id, visibility FROM voices WHERE id = \(bind: voiceID)").first()
            else { throw Refusal.voiceNotFound() }
            let author = try row.int64("account_id")
            guard author != viewer else { throw Refusal(.unprocessable, "This is your own voice.") }
            return (author, try row.string("visibility") != Visibility.public.rawValue)
        }
    }

    private func addBoundary(_ table: String, _ by: String, _ on: String, target: Int64, via: Int64, by maker: Int64) async throws {
        guard target != maker else { throw Refusal(.unprocessable, "You can't do this to your own account.") }
        try await database.write { db in
            // A block on a profile ends following both ways: a follow between the two waits for it, or it for the follow.
            if table == "blocks", via == 0 { try await db.holdAccounts(maker, target) }
            // Made from an anonymous voice, it is kept whether or not its author's account still exists: refused, it told
            // which anonymous voices a deleted account had kept (anonymously).
            if via == 0 {
                guard try await db.raw("SELECT id FROM accounts WHERE id = \(bind: target) AND deleted_at IS NULL").first() != nil else {
                    throw Refusal(.notFound, "This account is not here.")
                }
            }
            try await db.raw(
                """
                INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: by), \(unsafeRaw: on), via_voice_id, created_at)
                VALUES (\(bind: maker), \(bind: target), \(bind: via), \(bind: ChorusDatabase.now())) ON CONFLICT DO NOTHING
                """
            ).run()
            if table == "blocks", via == 0 {
                // A block ends following both ways, as on other networks. A block made from an anonymous voice does not:
                // a follow that vanished would tell the blocker which account wrote it.
                try await db.raw(
                    """
                    DELETE FROM follows WHERE (follower_id = \(bind: maker) AND followed_id = \(bind: target))
                        OR (follower_id = \(bind: target) AND followed_id = \(bind: maker))
                    """
                ).run()
            }
        }
    }

    private func removeBoundary(_ table: String, _ by: String, _ on: String, target: Int64?, via: Int64?, by maker: Int64) async throws {
        try await database.write { db in
            if let target {
                try await db.raw(
                    "DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: by) = \(bind: maker) AND \(unsafeRaw: on) = \(bind: target) AND via_voice_id = 0"
                ).run()
            }
            if let via {
                try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: by) = \(bind: maker) AND via_voice_id = \(bind: via)").run()
            }
        }
    }

    /// One's blocks or mutes, newest first. Those made from an anonymous voice stay listed when its author has left
    /// (a missing line told whose kept voice it was).
    private func boundaries(_ table: String, _ by: String, _ on: String, of maker: Int64) async throws -> [BoundaryEntry] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT CASE WHEN x.via_voice_id = 0 THEN a.display_handle ELSE NULL END AS handle, x.via_voice_id, x.created_at
                FROM \(unsafeRaw: table) x JOIN accounts a ON a.id = x.\(unsafeRaw: on)
                WHERE x.\(unsafeRaw: by) = \(bind: maker) AND (a.deleted_at IS NULL OR x.via_voice_id <> 0) ORDER BY x.created_at DESC
                """
            ).all().map { row in
                let via = try row.int64("via_voice_id")
                return BoundaryEntry(
                    handle: try row.optionalString("handle"), viaVoiceID: via == 0 ? nil : via, createdAt: try row.int64("created_at"))
            }
        }
    }
}
