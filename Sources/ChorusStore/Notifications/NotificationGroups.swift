import ChorusCore
import SQLKit

/// Notifications about one thing, shown as one entry: "12 people believe you" rather than twelve lines, so that a
/// flood of beliefs or replies to one voice reaches its author as one calm line (and Mastodon's grouped notifications).
public struct NotificationGroup: Sendable, Equatable {
    /// `favourite-<voice>`, `mention-<voice replied to>`, `follow-<day>`, or `ungrouped-<notification>`.
    public var key: String
    public var kind: ChorusNotification.Kind
    /// How many notifications the group holds.
    public var count: Int
    /// The newest notification of the group (its voice is the voice believed, or the newest reply).
    public var newest: ChorusNotification
    /// The oldest notification's id.
    public var oldestID: Int64
    /// The people in the group, most recent first (at most 8); anonymous repliers are counted, never named.
    public var sample: [Account]

    /// The person's own voice the group is about: the voice believed, or the voice replied to.
    public var targetVoiceID: Int64? {
        let parts = key.split(separator: "-")
        guard parts.count == 2, parts[0] == "favourite" || parts[0] == "mention" else { return newest.voiceID }
        return Int64(parts[1])
    }
}

extension ChorusStore {
    /// A person's notifications in groups, the group with the newest notification first. `grouped` names the kinds
    /// that may be grouped (others are one group each, as Mastodon's `grouped_types`); the page's ids are those of
    /// each group's newest notification, so a group is on one page only, with all of its count.
    public func notificationGroups(
        accountID: Int64, kinds: Set<ChorusNotification.Kind>? = nil,
        grouped: Set<ChorusNotification.Kind> = [.favourite, .mention, .follow], page: PageRequest = .init()
    ) async throws -> [NotificationGroup] {
        let rows = try await database.read { db in
            let groupedList = grouped.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
            var query: SQLQueryString = """
                SELECT g.gk, MAX(g.id) AS newest, MIN(g.id) AS oldest, COUNT(*) AS n FROM (
                    SELECT n.id, CASE WHEN n.group_key IS NOT NULL\(unsafeRaw: grouped.isEmpty ? " AND 1 = 0" : " AND n.type IN (\(groupedList))")
                        THEN n.group_key ELSE 'ungrouped-' || CAST(n.id AS TEXT) END AS gk
                    FROM notifications n
                    WHERE n.account_id = \(bind: accountID) AND \(unsafeRaw: Self.notificationShown)
                """
            if let kinds {
                let list = kinds.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
                query.appendInterpolation(unsafeRaw: kinds.isEmpty ? " AND 1 = 0" : " AND n.type IN (\(list))")
            }
            query.appendInterpolation(unsafeRaw: ") g GROUP BY g.gk HAVING 1 = 1")
            // Groups are paged by their newest notification.
            let found = try await db.raw(Self.paged(query, page, order: "MAX(g.id)")).all().map {
                (key: try $0.string("gk"), newest: try $0.int64("newest"), oldest: try $0.int64("oldest"), count: try $0.int("n"))
            }
            return page.minID == nil ? found : found.reversed()
        }
        guard !rows.isEmpty else { return [] }
        let newest = Dictionary(
            try await notifications(accountID: accountID, page: .init(limit: 80), ids: rows.map(\.newest)).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var groups: [NotificationGroup] = []
        for row in rows {
            guard let latest = newest[row.newest] else { continue }
            var sample: [Account] = latest.from.map { [$0] } ?? []
            if row.count > 1 { sample = try await groupSample(accountID: accountID, key: row.key) }
            groups.append(
                NotificationGroup(key: row.key, kind: latest.kind, count: row.count, newest: latest, oldestID: row.oldest, sample: sample))
        }
        return groups
    }

    /// The one group with this key, or nil.
    public func notificationGroup(accountID: Int64, key: String) async throws -> NotificationGroup? {
        if key.hasPrefix("ungrouped-") {
            guard let id = Int64(key.dropFirst("ungrouped-".count)), let found = try await notification(id: id, accountID: accountID) else {
                return nil
            }
            return NotificationGroup(key: key, kind: found.kind, count: 1, newest: found, oldestID: found.id, sample: found.from.map { [$0] } ?? [])
        }
        let rows = try await database.read { db in
            try await db.raw(
                """
                SELECT MAX(n.id) AS newest, MIN(n.id) AS oldest, COUNT(*) AS n FROM notifications n
                WHERE n.account_id = \(bind: accountID) AND n.group_key = \(bind: key) AND \(unsafeRaw: Self.notificationShown)
                """
            ).first()
        }
        guard let rows, let newestID = try rows.optionalInt64("newest"), let latest = try await notification(id: newestID, accountID: accountID)
        else { return nil }
        return NotificationGroup(
            key: key, kind: latest.kind, count: try rows.int("n"), newest: latest, oldestID: try rows.int64("oldest"),
            sample: try await groupSample(accountID: accountID, key: key, limit: 8))
    }

    /// Everyone in a group, most recent first. Anonymous repliers, and the author of an anonymous thread acting in it,
    /// are counted in the group but never named (the same rule as `notifications`).
    public func groupSample(accountID: Int64, key: String, limit: Int = 8) async throws -> [Account] {
        try await database.read { db in
            let ids = try await db.raw(
                """
                SELECT n.from_account_id, MAX(n.id) AS last FROM notifications n
                WHERE n.account_id = \(bind: accountID) AND n.group_key = \(bind: key) AND n.from_account_id IS NOT NULL
                  AND \(unsafeRaw: Self.notificationShown)
                  AND NOT \(unsafeRaw: Self.isAnonymousAuthor(account: "n.from_account_id", ofVoice: "n.voice_id"))
                GROUP BY n.from_account_id ORDER BY last DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 80))))
                """
            ).all().map { try $0.int64("from_account_id") }
            guard !ids.isEmpty else { return [] }
            let accounts = try await db.raw(
                """
                SELECT \(unsafeRaw: Self.accountColumns) FROM accounts a
                WHERE a.deleted_at IS NULL AND a.id IN (\(unsafeRaw: ids.map(String.init).joined(separator: ", ")))
                """
            ).all().map(Self.account(from:))
            let byID = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return ids.compactMap { byID[$0] }
        }
    }

    /// Dismisses every notification of a group; false when there was none.
    public func dismissNotificationGroup(accountID: Int64, key: String) async throws -> Bool {
        if key.hasPrefix("ungrouped-") {
            guard let id = Int64(key.dropFirst("ungrouped-".count)) else { return false }
            return try await dismissNotification(id: id, accountID: accountID)
        }
        return try await database.write { db in
            !(try await db.raw("DELETE FROM notifications WHERE account_id = \(bind: accountID) AND group_key = \(bind: key) RETURNING id").all())
                .isEmpty
        }
    }
}
