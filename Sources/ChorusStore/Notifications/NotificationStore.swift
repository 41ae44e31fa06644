import ChorusCore
import SQLKit

/// Something that happened to a person's voices or account: a belief, a reply, a new follower, a moderator's decision.
public struct ChorusNotification: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Someone said *I believe you* (a favourite, to Mastodon apps).
        case favourite
        /// Someone replied (a mention, to Mastodon apps).
        case mention
        case follow
        /// A moderator acted on something the person wrote, or on their account (Mastodon's `moderation_warning`).
        case moderationWarning = "moderation_warning"
    }

    public var id: Int64
    public var kind: Kind
    /// Who did it; nil when they wrote anonymously (they are then shown as "someone").
    public var from: Account?
    public var voiceID: Int64?
    public var createdAt: Int64
    /// Shared by notifications about the same thing: beliefs in one voice, replies to one voice, follows of one day.
    public var groupKey: String

    public init(id: Int64, kind: Kind, from: Account?, voiceID: Int64?, createdAt: Int64, groupKey: String? = nil) {
        self.id = id
        self.kind = kind
        self.from = from
        self.voiceID = voiceID
        self.createdAt = createdAt
        self.groupKey = groupKey ?? "ungrouped-\(id)"
    }

    static func moderationGroupKey(actionID: Int64) -> String { "moderation-\(actionID)" }

    /// The moderation action a `moderation_warning` is about.
    public var moderationActionID: Int64? {
        guard kind == .moderationWarning, groupKey.hasPrefix("moderation-") else { return nil }
        return Int64(groupKey.dropFirst("moderation-".count))
    }
}

/// Notifications are written by the store itself, from ids it already holds: the author of an anonymous voice is
/// found here and never returned, and an anonymous replier is never recorded.
extension ChorusStore {
    static func insertNotification(
        _ db: any SQLDatabase, kind: ChorusNotification.Kind, to recipient: Int64, from sender: Int64?, voiceID: Int64?, groupKey: String
    ) async throws -> Int64 {
        let now = ChorusDatabase.now()
        let id = VoiceID.make(at: now)
        try await db.raw(
            """
            INSERT INTO notifications (id, account_id, type, from_account_id, voice_id, created_at, group_key)
            VALUES (\(bind: id), \(bind: recipient), \(bind: kind.rawValue), \(bind: sender), \(bind: voiceID), \(bind: now), \(bind: groupKey))
            """
        ).run()
        return id
    }

    /// Whether `recipient` blocked or muted `sender` on their profile: then nothing `sender` does is announced to them. (A
    /// block or mute made from an anonymous voice does not count here: a belief the recipient can see in a list, but was
    /// not told of, would tell them who wrote that voice.)
    static func quietens(_ db: any SQLDatabase, recipient: Int64, sender: Int64) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS one FROM blocks WHERE blocker_id = \(bind: recipient) AND blocked_id = \(bind: sender) AND via_voice_id = 0
            UNION ALL SELECT 1 AS one FROM mutes WHERE muter_id = \(bind: recipient) AND muted_id = \(bind: sender) AND via_voice_id = 0
            """
        ).first() != nil
    }

    /// Tells a voice's author that someone believes them. Returns the recipient's id (for their live stream only), or nil.
    @discardableResult
    public func notifyBelief(voiceID: Int64, by believer: Int64) async throws -> Int64? {
        try await database.write { db in
            guard let row = try await db.raw("SELECT account_id FROM voices WHERE id = \(bind: voiceID)").first() else { return nil }
            let author = try row.int64("account_id")
            guard author != believer, try await !Self.quietens(db, recipient: author, sender: believer) else { return nil }
            _ = try await Self.insertNotification(
                db, kind: .favourite, to: author, from: believer, voiceID: voiceID, groupKey: "favourite-\(voiceID)")
            return author
        }
    }

    /// Takes back the notification of a belief that was taken back.
    public func withdrawBeliefNotification(voiceID: Int64, by believer: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                "DELETE FROM notifications WHERE type = 'favourite' AND voice_id = \(bind: voiceID) AND from_account_id = \(bind: believer)"
            ).run()
        }
    }

    /// Tells the author of the voice a visible reply answers. An anonymous reply is recorded without its writer.
    @discardableResult
    public func notifyReply(_ reply: Voice, answeredAccountID: Int64?, by replier: Int64) async throws -> Int64? {
        guard reply.state == .visible, reply.visibility.isListed, let answered = answeredAccountID, answered != replier else { return nil }
        return try await database.write { db in
            guard try await !Self.quietens(db, recipient: answered, sender: replier) else { return nil }
            _ = try await Self.insertNotification(
                db, kind: .mention, to: answered, from: reply.visibility == .public ? replier : nil, voiceID: reply.id,
                groupKey: "mention-\(reply.inReplyTo ?? reply.id)")
            return answered
        }
    }

    public func notifyFollow(_ followed: Int64, by follower: Int64) async throws {
        guard followed != follower else { return }
        try await database.write { db in
            guard try await !Self.quietens(db, recipient: followed, sender: follower) else { return }
            let existing = try await db.raw(
                "SELECT id FROM notifications WHERE type = 'follow' AND account_id = \(bind: followed) AND from_account_id = \(bind: follower)"
            ).first()
            if existing == nil {
                _ = try await Self.insertNotification(
                    db, kind: .follow, to: followed, from: follower, voiceID: nil, groupKey: "follow-\(ChorusDatabase.now() / 86_400_000)")
            }
        }
    }

    /// A person's notifications, newest first; those about voices since deleted are left out.
    public func notifications(
        accountID: Int64, kinds: Set<ChorusNotification.Kind>? = nil, page: PageRequest = .init(), id: Int64? = nil, ids: [Int64]? = nil
    ) async throws -> [ChorusNotification] {
        try await database.read { db in
            var query: SQLQueryString = """
                SELECT n.id AS notification_id, n.type, n.voice_id, n.created_at AS notified_at, n.from_account_id, n.group_key,
                       CASE WHEN \(unsafeRaw: Self.isAnonymousAuthor(account: "n.from_account_id", ofVoice: "n.voice_id")) THEN 1 ELSE 0 END
                           AS from_hidden,
                       \(unsafeRaw: Self.accountColumns)
                FROM notifications n LEFT JOIN accounts a ON a.id = n.from_account_id AND a.deleted_at IS NULL
                WHERE n.account_id = \(bind: accountID) AND \(unsafeRaw: Self.notificationShown)
                """
            if let id { query.appendInterpolation(unsafeRaw: " AND n.id = "); query.appendInterpolation(bind: id) }
            if let ids {
                query.appendInterpolation(unsafeRaw: ids.isEmpty ? " AND 1 = 0" : " AND n.id IN (\(ids.map(String.init).joined(separator: ", ")))")
            }
            if let kinds {
                let list = kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
                query.appendInterpolation(unsafeRaw: kinds.isEmpty ? " AND 1 = 0" : " AND n.type IN (\(list))")
            }
            let rows = try await db.raw(Self.paged(query, page, order: "n.id")).all()
            let found = try rows.compactMap { row -> ChorusNotification? in
                guard let kind = ChorusNotification.Kind(rawValue: try row.string("type")) else { return nil }
                // Someone who wrote the thread anonymously is shown as "someone" when they act in it.
                let hidden = try row.bool("from_hidden")
                let from = try row.optionalInt64("id") == nil || hidden ? nil : try Self.account(from: row)
                if try row.optionalInt64("from_account_id") != nil, try row.optionalInt64("id") == nil { return nil }
                return ChorusNotification(
                    id: try row.int64("notification_id"), kind: kind, from: from, voiceID: try row.optionalInt64("voice_id"),
                    createdAt: try row.int64("notified_at"), groupKey: try row.optionalString("group_key")
                )
            }
            return page.minID == nil ? found : found.reversed()
        }
    }

    /// Whether a notification (`n`) is still shown: its voice is there (and not being erased with its author's
    /// account), and whoever it is from has not deleted their account.
    static let notificationShown = """
        (n.voice_id IS NULL OR EXISTS (
            SELECT 1 FROM voices v JOIN accounts va ON va.id = v.account_id WHERE v.id = n.voice_id AND \(notErasing("va", "v"))))
        AND (n.from_account_id IS NULL OR EXISTS (SELECT 1 FROM accounts fa WHERE fa.id = n.from_account_id AND fa.deleted_at IS NULL))
        """

    public func notification(id: Int64, accountID: Int64) async throws -> ChorusNotification? {
        try await notifications(accountID: accountID, page: .init(limit: 1), id: id).first
    }

    public func clearNotifications(accountID: Int64) async throws {
        try await database.write { db in try await db.raw("DELETE FROM notifications WHERE account_id = \(bind: accountID)").run() }
    }

    /// Dismisses one notification; false when there was none with that id for this person.
    public func dismissNotification(id: Int64, accountID: Int64) async throws -> Bool {
        try await database.write { db in
            !(try await db.raw("DELETE FROM notifications WHERE id = \(bind: id) AND account_id = \(bind: accountID) RETURNING id").all()).isEmpty
        }
    }
}
