import ChorusCore
import ChorusStore
import Hummingbird

/// Mastodon's grouped notifications (`/api/v2/notifications`): beliefs (favourites) in one voice and follows of one
/// day come as one group with `notifications_count` and `sample_account_ids`; replies (mentions) are grouped per
/// voice replied to when the client lists `mention` in `grouped_types[]`. Pages move by each group's newest
/// notification, so a group appears on one page with all its count.
struct MastodonGroupedNotificationsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }

    /// What Mastodon groups when the client does not say: favourites and follows (Chorus has no reblogs).
    static let defaultGrouped: Set<ChorusNotification.Kind> = [.favourite, .follow]

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v2/notifications") { request, context in
            let account = try context.requireUser("read:notifications")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            let kinds = try MastodonNotificationsController.kinds(params)
            let grouped = try Self.grouped(params)
            let groups = try await store.notificationGroups(accountID: account.id, kinds: kinds, grouped: grouped, page: page)
            let body = try await results(groups, recipient: account.id)
            var headers = HTTPFields()
            headers[.link] = APIResponse.links(ids: groups.map(\.newest.id), request: request, baseURL: services.config.baseURL, limit: page.limit)
            return APIResponse.json(body, headers: headers)
        }
        router.get("/api/v2/notifications/unread_count") { _, context in
            _ = try context.requireUser("read:notifications")
            return APIResponse.json(["count": 0])
        }
        router.get("/api/v2/notifications/{group_key}") { _, context in
            let account = try context.requireUser("read:notifications")
            guard let key = context.parameters.get("group_key"), let group = try await store.notificationGroup(accountID: account.id, key: key)
            else { throw MastodonNotificationsController.notFound() }
            return APIResponse.json(try await results([group], recipient: account.id))
        }
        router.get("/api/v2/notifications/{group_key}/accounts") { _, context in
            let account = try context.requireUser("read:notifications")
            guard let key = context.parameters.get("group_key"), try await store.notificationGroup(accountID: account.id, key: key) != nil else {
                throw MastodonNotificationsController.notFound()
            }
            let people = try await store.groupSample(accountID: account.id, key: key, limit: 80)
            return APIResponse.json(.array(try await entities.accounts(people)))
        }
        router.post("/api/v2/notifications/{group_key}/dismiss") { _, context in
            let account = try context.requireUser("write:notifications")
            guard let key = context.parameters.get("group_key"), try await store.dismissNotificationGroup(accountID: account.id, key: key) else {
                throw MastodonNotificationsController.notFound()
            }
            return APIResponse.json([:])
        }
    }

    /// `grouped_types[]`: the kinds the client can show grouped (unknown ones, such as reblog, group nothing here).
    static func grouped(_ params: APIParams) throws -> Set<ChorusNotification.Kind> {
        let named = try params.strings("grouped_types")
        guard !named.isEmpty else { return defaultGrouped }
        return Set(named.compactMap(ChorusNotification.Kind.init(rawValue:)))
    }

    /// `{accounts, statuses, notification_groups}`, each account and status once. A group whose voice the person may
    /// no longer see is left out, as in `/api/v1/notifications`.
    func results(_ groups: [NotificationGroup], recipient: Int64) async throws -> JSON {
        let voices = try await store.voices(ids: groups.compactMap(\.newest.voiceID), viewer: recipient)
        let statuses = try await entities.statuses(voices)
        var statusByID: [Int64: JSON] = [:]
        for (voice, json) in zip(voices, statuses) { statusByID[voice.id] = json }
        var accountIDs: [Int64] = []
        for group in groups { for person in group.sample where !accountIDs.contains(person.id) { accountIDs.append(person.id) } }
        let summaries = try await store.accountSummaries(ids: accountIDs)
        let warnings = try await entities.moderationWarnings(groups.map(\.newest), recipient: recipient)
        var usedAccounts: [JSON] = []
        var usedAccountIDs: Set<Int64> = []
        var usedStatuses: [JSON] = []
        var usedStatusIDs: Set<Int64> = []
        var someoneUsed = false
        var out: [JSON] = []
        for group in groups {
            var json: JSON = [
                "group_key": .string(group.key), "notifications_count": .int(Int64(group.count)),
                "type": .string(group.kind.rawValue), "most_recent_notification_id": .id(group.newest.id),
                "page_min_id": .id(group.oldestID), "page_max_id": .id(group.newest.id),
                "latest_page_notification_at": .string(MastodonEntities.iso(group.newest.createdAt)),
            ]
            if let voiceID = group.newest.voiceID {
                guard let status = statusByID[voiceID] else { continue }
                json = json.with("status_id", .id(voiceID))
                if usedStatusIDs.insert(voiceID).inserted { usedStatuses.append(status) }
            }
            if group.kind == .moderationWarning {
                guard let warning = warnings[group.newest.id] else { continue }
                json = json.with("moderation_warning", warning)
            }
            var sampleIDs: [JSON] = []
            for person in group.sample.prefix(8) {
                guard let summary = summaries[person.id] else { continue }
                sampleIDs.append(.id(person.id))
                if usedAccountIDs.insert(person.id).inserted { usedAccounts.append(entities.account(summary)) }
            }
            if sampleIDs.isEmpty {
                // Someone who replied anonymously: Mastodon needs an account, and gets "someone", never the writer.
                sampleIDs.append(entities.someone["id"] ?? "0")
                if !someoneUsed { usedAccounts.append(entities.someone) }
                someoneUsed = true
            }
            out.append(json.with("sample_account_ids", .array(sampleIDs)))
        }
        return ["accounts": .array(usedAccounts), "statuses": .array(usedStatuses), "notification_groups": .array(out)]
    }
}
