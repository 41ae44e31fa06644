import ChorusCore
import ChorusStore
import Hummingbird

/// A page per account, with its public voices only: never its anonymous or only-me ones.
struct ProfilesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/@{handle}") { request, context in try await profile(request, context) }
        router.post("/@{handle}/follow") { request, context in try await follow(request, context, true) }
        router.post("/@{handle}/unfollow") { request, context in try await follow(request, context, false) }
    }

    func account(_ context: ChorusContext) async throws -> Account {
        guard let handle = context.parameters.get("handle"), let account = try await store.account(handle: handle), !account.isHiddenBySuspension
        else {
            throw Refusal(.notFound, "There is no account with this handle here.")
        }
        return account
    }

    func profile(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try await account(context)
        let words = pages.words(context, request)
        let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
        let voices = try await store.publicVoices(accountID: account.id, viewer: context.account?.id, page: page)
        let counts = try await store.accountCounts(account.id)
        var values: [String: Any] = [
            "profile": ["handle": account.handle, "display_name": account.displayName, "joined": VoiceView.dateText(account.createdAt)],
            "voices": voices.map { VoiceView.values($0, words: words) },
            "followers": counts.followers, "following": counts.following,
            "followers_label": counts.followers == 1 ? words["follower_one"] : words["followers"],
            "is_me": context.account?.id == account.id,
        ]
        if let viewer = context.account, viewer.id != account.id {
            values["can_follow"] = true
            values["is_following"] = try await store.follows(account.id, by: viewer.id)
            let boundaries = try await store.boundaries(towards: account.id, from: viewer.id)
            values["is_blocked"] = boundaries.blocked
            values["is_muted"] = boundaries.muted
        }
        if let older = VoiceView.olderLink(voices, limit: page.limit, base: "/@\(account.handle)") { values["older"] = older }
        return pages.render("profile", values, request: request, context: context)
    }

    func follow(_ request: Request, _ context: ChorusContext, _ following: Bool) async throws -> Response {
        let viewer = try context.requireAccount(request)
        let account = try await account(context)
        if following {
            try await VoiceActions(services: services).follow(account.id, by: viewer)
        } else {
            try await store.unfollow(account.id, by: viewer.id)
        }
        return redirect(to: "/@\(account.handle)")
    }
}
