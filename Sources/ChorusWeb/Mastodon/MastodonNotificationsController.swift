import ChorusCore
import ChorusStore
import Hummingbird

/// Notifications: *I believe you* (favourite), replies (mention) and new followers (follow). Someone who replied
/// anonymously is shown as `someone`; the author of an anonymous voice is never shown to anyone else.
struct MastodonNotificationsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v1/notifications") { request, context in
            let account = try context.requireUser("read:notifications")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            let kinds = try Self.kinds(params)
            let list = try await store.notifications(accountID: account.id, kinds: kinds, page: page)
            return APIResponse.page(
                try await entities.notifications(list, recipient: account.id), ids: list.map(\.id), request: request,
                baseURL: services.config.baseURL, limit: page.limit)
        }
        router.get("/api/v1/notifications/unread_count") { _, context in
            _ = try context.requireUser("read:notifications")
            return APIResponse.json(["count": 0])
        }
        router.post("/api/v1/notifications/clear") { _, context in
            let account = try context.requireUser("write:notifications")
            try await store.clearNotifications(accountID: account.id)
            return APIResponse.json([:])
        }
        router.post("/api/v1/notifications/dismiss") { request, context in
            let account = try context.requireUser("write:notifications")
            let params = try await APIParams.read(request, context: context)
            guard let id = try params.id("id"), try await store.dismissNotification(id: id, accountID: account.id) else { throw Self.notFound() }
            return APIResponse.json([:])
        }
        router.get("/api/v1/notifications/{id}") { _, context in
            let account = try context.requireUser("read:notifications")
            guard let id = context.parameters.get("id", as: Int64.self), let found = try await store.notification(id: id, accountID: account.id),
                let json = try await entities.notifications([found], recipient: account.id).first
            else { throw Self.notFound() }
            return APIResponse.json(json)
        }
        router.post("/api/v1/notifications/{id}/dismiss") { _, context in
            let account = try context.requireUser("write:notifications")
            guard let id = context.parameters.get("id", as: Int64.self), try await store.dismissNotification(id: id, accountID: account.id) else {
                throw Self.notFound()
            }
            return APIResponse.json([:])
        }
    }

    static func notFound() -> Refusal { Refusal(.notFound, "Record not found: there is no such notification for you.") }

    /// `types[]` and `exclude_types[]`; types Chorus never sends (reblog, poll, …) simply match nothing.
    static func kinds(_ params: APIParams) throws -> Set<ChorusNotification.Kind>? {
        let include = try params.strings("types")
        let exclude = Set(try params.strings("exclude_types"))
        guard !include.isEmpty || !exclude.isEmpty else { return nil }
        var kinds = include.isEmpty ? Set(ChorusNotification.Kind.allCases) : Set(include.compactMap(ChorusNotification.Kind.init(rawValue:)))
        kinds = kinds.filter { !exclude.contains($0.rawValue) }
        return kinds
    }
}
