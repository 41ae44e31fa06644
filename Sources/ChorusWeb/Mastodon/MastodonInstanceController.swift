import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// The instance, search, hashtags, trends, and the harmless empty lists apps ask for (filters, lists, mutes…).
struct MastodonInstanceController {
    static let mastodonVersion = "4.3.0"
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }
    var baseURL: String { services.config.baseURL }
    var streamingURL: String {
        baseURL.replacingOccurrences(of: "https://", with: "wss://").replacingOccurrences(of: "http://", with: "ws://")
    }

    static let description =
        "A place to say #MeToo: one tap or a story, public, anonymous or only for you. Supporters say I believe you; allies pledge #IWill."

    /// The instance's rules, as `/rules` lists them and every moderation decision names them.
    func rules() async throws -> JSON {
        .array(try await store.rules().map { ["id": .string(String($0.number)), "text": .string($0.text), "hint": ""] })
    }

    var statusesConfiguration: JSON {
        ["max_characters": .int(Int64(VoiceDraft.storyLimit)), "max_media_attachments": 0, "characters_reserved_per_url": 23]
    }

    var mediaConfiguration: JSON {
        [
            "supported_mime_types": [], "image_size_limit": 0, "image_matrix_limit": 0, "video_size_limit": 0, "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        ]
    }

    var pollsConfiguration: JSON {
        ["max_options": 0, "max_characters_per_option": 0, "min_expiration": 0, "max_expiration": 0]
    }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v1/instance") { _, _ in try await instanceV1() }
        router.get("/api/v2/instance") { _, _ in try await instanceV2() }
        router.get("/api/v1/instance/rules") { _, _ in APIResponse.json(try await rules()) }
        router.get("/api/v1/instance/peers") { _, _ in APIResponse.json([]) }
        router.get("/api/v1/instance/activity") { _, _ in APIResponse.json([]) }
        router.get("/api/v1/custom_emojis") { _, _ in APIResponse.json([]) }
        router.get("/.well-known/nodeinfo") { _, _ in
            APIResponse.json(["links": [["rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": .string(baseURL + "/nodeinfo/2.0")]]])
        }
        router.get("/nodeinfo/2.0") { _, _ in
            let stats = try await store.instanceStats()
            return APIResponse.json([
                "version": "2.0", "software": ["name": "chorus", "version": "0.1.0"], "protocols": [],
                "services": ["inbound": [], "outbound": []], "openRegistrations": true,
                "usage": ["users": ["total": .int(Int64(stats.users))], "localPosts": .int(Int64(stats.statuses))], "metadata": [:],
            ])
        }
        router.get("/api/v1/trends/tags") { request, context in try await trends(request, context) }
        router.get("/api/v1/trends") { request, context in try await trends(request, context) }
        router.get("/api/v1/trends/statuses") { _, _ in APIResponse.json([]) }
        router.get("/api/v1/trends/links") { _, _ in APIResponse.json([]) }
        router.get("/api/v2/search") { request, context in try await search(request, context) }
        router.get("/api/v1/tags/{name}") { _, context in
            let viewer = try context.optionalUser("read:follows")
            let name = try Self.tagName(context)
            let following = try await viewer.asyncFlatMap { try await store.followedTags(by: $0.id).contains(Hashtags.normalise(name)) }
            return APIResponse.json(entities.tag(Hashtags.normalise(name), history: try await store.tagHistory(name), following: following ?? false))
        }
        router.post("/api/v1/tags/{name}/follow") { _, context in
            let account = try context.requireUser("write:follows")
            let name = try Self.tagName(context)
            try await store.followTag(name, by: account.id)
            return APIResponse.json(entities.tag(Hashtags.normalise(name), history: try await store.tagHistory(name), following: true))
        }
        router.post("/api/v1/tags/{name}/unfollow") { _, context in
            let account = try context.requireUser("write:follows")
            let name = try Self.tagName(context)
            try await store.unfollowTag(name, by: account.id)
            return APIResponse.json(entities.tag(Hashtags.normalise(name), history: try await store.tagHistory(name), following: false))
        }
        router.get("/api/v1/followed_tags") { _, context in
            let account = try context.requireUser("read:follows")
            var list: [JSON] = []
            for tag in try await store.followedTags(by: account.id) {
                list.append(entities.tag(tag, history: try await store.tagHistory(tag), following: true))
            }
            return APIResponse.json(.array(list))
        }
        router.get("/api/v1/preferences") { _, context in
            let account = try context.requireUser("read:accounts")
            return APIResponse.json([
                "posting:default:visibility": "public", "posting:default:sensitive": false, "posting:default:language": .of(account.language),
                "reading:expand:media": "default", "reading:expand:spoilers": false,
            ])
        }
        // Read positions, kept so that each of a person's apps opens where another left off.
        router.get("/api/v1/markers") { request, context in
            let account = try context.requireUser("read:statuses")
            let params = try await APIParams.read(request, context: context)
            let timelines = try params.strings("timeline")
            return APIResponse.json(Self.markers(try await store.readMarkers(of: account.id, timelines: timelines)))
        }
        router.post("/api/v1/markers") { request, context in
            let account = try context.requireUser("write:statuses")
            let params = try await APIParams.read(request, context: context)
            var positions: [(timeline: String, lastReadID: Int64)] = []
            for timeline in ReadMarker.timelines {
                if let id = try params.id("\(timeline)[last_read_id]") { positions.append((timeline, id)) }
            }
            guard !positions.isEmpty else {
                throw InputError(
                    "Say where reading stopped, such as home[last_read_id]=109876543210 or notifications[last_read_id]=42.",
                    field: "home[last_read_id]")
            }
            return APIResponse.json(Self.markers(try await store.saveReadMarkers(positions, by: account.id)))
        }
        // Lists Chorus does not keep (yet): answered with an empty list, so apps work unmodified.
        let empties: [(String, String)] = [
            ("/api/v1/filters", "read:filters"), ("/api/v2/filters", "read:filters"), ("/api/v1/lists", "read:lists"),
            ("/api/v1/announcements", "read"),
            ("/api/v1/bookmarks", "read:bookmarks"), ("/api/v1/conversations", "read:statuses"), ("/api/v1/follow_requests", "read:follows"),
            ("/api/v1/endorsements", "read:accounts"), ("/api/v1/featured_tags", "read:accounts"), ("/api/v1/domain_blocks", "read:blocks"),
            ("/api/v1/scheduled_statuses", "read:statuses"), ("/api/v1/suggestions", "read"), ("/api/v2/suggestions", "read"),
        ]
        for (path, scope) in empties {
            router.get(RouterPath(path)) { _, context in
                _ = try context.requireUser(scope)
                return APIResponse.json([])
            }
        }
        addLaunchDefaults(to: router)
    }

    /// What apps ask on launch, on a profile or on the notifications screen, for what Chorus does not have: Mastodon's
    /// shape with nothing in it, rather than a 404 an app may show as an error.
    func addLaunchDefaults(to router: Router<ChorusContext>) {
        router.get("/api/v1/instance/extended_description") { _, _ in
            APIResponse.json(["updated_at": .string(Timestamp.iso8601(milliseconds: 0)), "content": .string("<p>\(Self.description)</p>")])
        }
        router.get("/api/v1/instance/languages") { _, _ in APIResponse.json([]) }
        router.get("/api/v1/instance/translation_languages") { _, _ in APIResponse.json([:]) }
        let summary: JSON = ["pending_requests_count": 0, "pending_notifications_count": 0]
        // Every notification is let through: there are no requests to review.
        router.get("/api/v1/notifications/policy") { _, context in
            _ = try context.requireUser("read:notifications")
            return APIResponse.json([
                "filter_not_following": false, "filter_not_followers": false, "filter_new_accounts": false,
                "filter_private_mentions": false, "summary": summary,
            ])
        }
        router.get("/api/v2/notifications/policy") { _, context in
            _ = try context.requireUser("read:notifications")
            return APIResponse.json([
                "for_not_following": "accept", "for_not_followers": "accept", "for_new_accounts": "accept",
                "for_private_mentions": "accept", "for_limited_accounts": "accept", "summary": summary,
            ])
        }
        router.get("/api/v1/notifications/requests") { _, context in
            _ = try context.requireUser("read:notifications")
            return APIResponse.json([])
        }
        for path in ["/api/v1/accounts/{id}/featured_tags", "/api/v1/accounts/{id}/lists", "/api/v1/accounts/{id}/identity_proofs"] {
            router.get(RouterPath(path)) { _, _ in APIResponse.json([]) }
        }
        router.get("/api/v1/accounts/familiar_followers") { request, context in
            _ = try context.requireUser("read:follows")
            let params = try await APIParams.read(request, context: context)
            return APIResponse.json(.array(try params.strings("id").prefix(40).map { ["id": .string($0), "accounts": []] }))
        }
    }

    /// Mastodon's markers: an object keyed by timeline.
    static func markers(_ markers: [ReadMarker]) -> JSON {
        .object(
            markers.map { marker in
                (
                    marker.timeline,
                    [
                        "last_read_id": .id(marker.lastReadID), "version": .int(marker.version),
                        "updated_at": .string(MastodonEntities.iso(marker.updatedAt)),
                    ]
                )
            })
    }

    static func tagName(_ context: ChorusContext) throws -> String {
        let raw = context.parameters.get("name") ?? ""
        let name = (raw.removingPercentEncoding ?? raw).trimmingCharacters(in: ["#"])
        guard Hashtags.isValidName(name) else { throw Refusal(.notFound, "Record not found: “\(name)” is not a hashtag.") }
        return name
    }

    func instanceV1() async throws -> Response {
        let stats = try await store.instanceStats()
        let rules = try await rules()
        return APIResponse.json([
            "uri": .string(MastodonAccountsController.host(baseURL)), "title": .string(services.config.instanceName),
            "short_description": .string(Self.description), "description": .string(Self.description), "email": "",
            "version": .string(Self.mastodonVersion), "urls": ["streaming_api": .string(streamingURL)],
            "stats": ["user_count": .int(Int64(stats.users)), "status_count": .int(Int64(stats.statuses)), "domain_count": 1],
            "thumbnail": .string(baseURL + "/static/header.png"), "languages": ["en"], "registrations": true, "approval_required": false,
            "invites_enabled": false,
            "configuration": [
                "accounts": ["max_featured_tags": 0], "statuses": statusesConfiguration, "media_attachments": mediaConfiguration,
                "polls": pollsConfiguration,
            ],
            "contact_account": nil, "rules": rules,
        ])
    }

    func instanceV2() async throws -> Response {
        let stats = try await store.instanceStats()
        let rules = try await rules()
        return APIResponse.json([
            "domain": .string(MastodonAccountsController.host(baseURL)), "title": .string(services.config.instanceName),
            "version": .string(Self.mastodonVersion), "source_url": .string(baseURL), "description": .string(Self.description),
            "usage": ["users": ["active_month": .int(Int64(stats.users))]],
            "thumbnail": ["url": .string(baseURL + "/static/header.png"), "blurhash": nil, "versions": [:]], "icon": [],
            "languages": ["en"],
            "configuration": [
                "urls": [
                    "streaming": .string(streamingURL), "status": nil, "about": .string(baseURL + "/"), "privacy_policy": nil,
                    "terms_of_service": nil,
                ],
                "vapid": ["public_key": ""], "accounts": ["max_featured_tags": 0, "max_pinned_statuses": 0],
                "statuses": statusesConfiguration, "media_attachments": mediaConfiguration, "polls": pollsConfiguration,
                "translation": ["enabled": false],
            ],
            "registrations": ["enabled": true, "approval_required": false, "message": nil, "url": .string(baseURL + "/signup")],
            "api_versions": ["mastodon": 2], "contact": ["email": "", "account": nil], "rules": rules,
        ])
    }

    func trends(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let params = try await APIParams.read(request, context: context)
        let limit = min(max(try params.int("limit") ?? 10, 1), 20)
        let offset = try params.offset()
        let tags = try await store.currentTrends(limit: limit + offset).dropFirst(offset)
        return APIResponse.json(.array(tags.map { entities.tag($0.name, history: $0.history) }))
    }

    /// A profile or voice address of this instance (`https://host/@ana`, `https://host/voices/1`), or a handle with
    /// this instance's host (`ana@host`, `@ana@host`): what it names, or nil when the text is none of these.
    func local(_ text: String, viewer: Account?) async throws -> (accounts: [JSON], statuses: [JSON])? {
        let host = MastodonAccountsController.host(baseURL)
        if text.hasPrefix("http://") || text.hasPrefix("https://") {
            guard let parts = URLComponents(string: text), MastodonAccountsController.host(text) == host else { return nil }
            let segments = parts.path.split(separator: "/")
            if segments.count == 1, segments[0].hasPrefix("@") {
                guard let account = try await store.account(handle: String(segments[0].dropFirst())), !account.isHiddenBySuspension else {
                    return ([], [])
                }
                return (try await entities.accounts([account]), [])
            }
            if segments.count == 2, segments[0] == "voices", let id = Int64(segments[1]) {
                guard let voice = try await store.voice(id: id, viewer: viewer?.id) else { return ([], []) }
                return ([], [try await entities.status(voice)])
            }
            return ([], [])
        }
        let handle = text.hasPrefix("@") ? String(text.dropFirst()) : text
        guard let at = handle.firstIndex(of: "@"), handle[handle.index(after: at)...].lowercased() == host.lowercased() else { return nil }
        guard let account = try await store.account(handle: String(handle[..<at])), !account.isHiddenBySuspension else { return ([], []) }
        return (try await entities.accounts([account]), [])
    }

    func search(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let viewer = try context.optionalUser("read:search")
        let params = try await APIParams.read(request, context: context)
        guard let query = try params.string("q"), !query.trimmingWhitespace.isEmpty else {
            throw InputError("Type something to search for (q).", field: "q")
        }
        let type = try params.string("type")
        if let type, !["accounts", "hashtags", "statuses"].contains(type) {
            throw InputError("“type” should be accounts, hashtags or statuses.", field: "type")
        }
        let limit = min(max(try params.int("limit") ?? 20, 1), 40)
        let offset = try params.offset()
        let text = query.trimmingWhitespace
        // This instance's own addresses (a tapped link, a full handle) are found, as Mastodon resolves local ones.
        if let found = try await local(text, viewer: viewer) {
            return APIResponse.json([
                "accounts": .array(type == nil || type == "accounts" ? found.accounts : []),
                "statuses": .array(type == nil || type == "statuses" ? found.statuses : []), "hashtags": [],
            ])
        }
        var accounts: [JSON] = []
        var hashtags: [JSON] = []
        var statuses: [JSON] = []
        if type == nil || type == "accounts" {
            accounts = try await entities.accounts(try await store.searchAccounts(text, limit: limit, offset: offset))
        }
        if type == nil || type == "hashtags" {
            let followed = try await viewer.asyncFlatMap { Set(try await store.followedTags(by: $0.id)) } ?? []
            var names = try await store.searchTags(text, limit: limit, offset: offset)
            let typed = Hashtags.normalise(text.trimmingCharacters(in: ["#"]))
            if offset == 0, Hashtags.isValidName(typed), !names.contains(typed) { names.insert(typed, at: 0) }
            hashtags = names.prefix(limit).map { entities.tag($0, following: viewer == nil ? nil : followed.contains($0)) }
        }
        if (type == nil || type == "statuses"), let viewer {
            statuses = try await entities.statuses(try await store.searchVoices(text, viewer: viewer.id, limit: limit, offset: offset))
        }
        return APIResponse.json(["accounts": .array(accounts), "statuses": .array(statuses), "hashtags": .array(hashtags)])
    }
}
