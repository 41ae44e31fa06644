import ChorusCore
import ChorusStore
import Hummingbird

/// The notifications page: one calm line per voice ("12 people believe you"), never a line per person, so that a
/// flood of beliefs or replies reaches the person as one entry. Replies held for review never notify.
struct NotificationsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/notifications") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let words = pages.words(context, request)
        let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
        let groups = try await store.notificationGroups(accountID: account.id, page: page)
        let voices = try await store.voices(ids: groups.compactMap(\.targetVoiceID), viewer: account.id)
        let byID = Dictionary(voices.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = groups.map { Self.entry($0, voice: $0.targetVoiceID.flatMap { byID[$0] }, words: words) }
        var values: [String: Any] = ["entries": entries, "has_entries": !entries.isEmpty]
        if groups.count >= page.limit, let last = groups.last { values["older"] = "/notifications?max_id=\(last.newest.id)" }
        return pages.render("notifications", values, request: request, context: context)
    }

    /// One entry: who (by name only when it is one person who wrote publicly), what, and about which voice.
    static func entry(_ group: NotificationGroup, voice: Voice?, words: Words) -> [String: Any] {
        let single = group.count == 1 ? group.sample.first.map { $0.displayName.isEmpty ? "@" + $0.handle : $0.displayName } : nil
        let text: String
        switch (group.kind, single) {
        case (.favourite, let name?): text = words.format("notifications_believe_one", ["name": name])
        case (.favourite, nil): text = words.format("notifications_believe_many", ["n": String(group.count)])
        case (.mention, let name?): text = words.format("notifications_reply_one", ["name": name])
        case (.mention, nil):
            text = group.count == 1 ? words["notifications_reply_someone"] : words.format("notifications_reply_many", ["n": String(group.count)])
        case (.follow, let name?): text = words.format("notifications_follow_one", ["name": name])
        case (.follow, nil): text = words.format("notifications_follow_many", ["n": String(group.count)])
        case (.moderationWarning, _): text = words["mod_notice_actions"]
        }
        var entry: [String: Any] = [
            "text": text, "kind": group.kind.rawValue, "count": group.count,
            "time_iso": VoiceView.iso(group.newest.createdAt), "time_text": VoiceView.dateText(group.newest.createdAt),
        ]
        if let voice {
            entry["link"] = "/voices/\(voice.threadRoot)#v\(voice.id)"
            // A voice behind a content warning is named by its warning, never by what it holds.
            let excerpt = voice.contentWarning.flatMap { $0.isEmpty ? nil : $0 } ?? String(voice.text.prefix(140))
            if !excerpt.trimmingWhitespace.isEmpty { entry["excerpt"] = excerpt }
        } else if group.kind == .moderationWarning {
            entry["link"] = "/account/moderation"
        } else if group.kind == .follow, single != nil, let handle = group.sample.first?.handle {
            entry["link"] = "/@\(handle)"
        }
        return entry
    }
}
