import ChorusCore
import ChorusStore
import Hummingbird

/// Accounts: who is signed in, profiles and their public voices, following, relationships and lookup.
/// A profile lists public voices only: never anonymous or only-me ones, whoever asks.
struct MastodonAccountsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v1/accounts/verify_credentials") { _, context in
            let account = try context.requireUser("profile")
            guard let summary = try await store.accountSummaries(ids: [account.id])[account.id] else { throw Self.notFound() }
            return APIResponse.json(entities.credentialAccount(summary))
        }
        router.get("/api/v1/accounts/lookup") { request, context in
            _ = try context.optionalUser("read:accounts")
            let params = try await APIParams.read(request, context: context)
            guard let acct = try params.string("acct"), !acct.isEmpty else {
                throw InputError("Give the handle to look up as acct, for example acct=ana.", field: "acct")
            }
            var handle = acct.hasPrefix("@") ? String(acct.dropFirst()) : acct
            if let at = handle.firstIndex(of: "@") {
                let domain = handle[handle.index(after: at)...]
                guard domain == Self.host(services.config.baseURL) else { throw Self.notFound() }
                handle = String(handle[..<at])
            }
            guard let account = try await store.account(handle: handle), !account.isHiddenBySuspension,
                let json = try await entities.account(id: account.id)
            else { throw Self.notFound() }
            return APIResponse.json(json)
        }
        router.get("/api/v1/accounts/relationships") { request, context in
            let account = try context.requireUser("read:follows")
            let params = try await APIParams.read(request, context: context)
            var list: [JSON] = []
            for raw in try params.strings("id").prefix(40) {
                guard let id = Int64(raw), try await store.account(id: id) != nil else { continue }
                list.append(try await entities.relationship(id, viewer: account.id))
            }
            return APIResponse.json(.array(list))
        }
        router.get("/api/v1/accounts/search") { request, context in
            _ = try context.requireUser("read:accounts")
            let params = try await APIParams.read(request, context: context)
            let limit = min(max(try params.int("limit") ?? 40, 1), 80)
            let found = try await store.searchAccounts(try params.string("q") ?? "", limit: limit, offset: try params.offset())
            return APIResponse.json(.array(try await entities.accounts(found)))
        }
        router.get("/api/v1/accounts/{id}") { _, context in
            _ = try context.optionalUser("read:accounts")
            let account = try await target(context)
            guard let json = try await entities.account(id: account.id) else { throw Self.notFound() }
            return APIResponse.json(json)
        }
        router.get("/api/v1/accounts/{id}/statuses") { request, context in
            let viewer = try context.optionalUser("read:statuses")
            let account = try await target(context)
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            var voices: [Voice] = []
            if try params.bool("pinned") != true, try params.bool("only_media") != true {
                let kinds: [VoiceKind] = try params.bool("exclude_replies") == true ? [.meToo, .pledge, .note] : []
                let tagged = try params.string("tagged").flatMap { $0.isEmpty ? nil : Hashtags.normalise($0.trimmingCharacters(in: ["#"])) }
                voices = try await store.publicVoices(accountID: account.id, viewer: viewer?.id, kinds: kinds, tagged: tagged, page: page)
            }
            return APIResponse.page(
                try await entities.statuses(voices), ids: voices.map(\.id), request: request, baseURL: services.config.baseURL, limit: page.limit)
        }
        router.get("/api/v1/accounts/{id}/following") { request, context in try await followList(.following, request, context) }
        router.get("/api/v1/accounts/{id}/followers") { request, context in try await followList(.followers, request, context) }
        router.post("/api/v1/accounts/{id}/follow") { _, context in
            let viewer = try context.requireUser("write:follows")
            let account = try await target(context)
            try await VoiceActions(services: services).follow(account.id, by: viewer)
            return APIResponse.json(try await entities.relationship(account.id, viewer: viewer.id))
        }
        router.post("/api/v1/accounts/{id}/unfollow") { _, context in
            let viewer = try context.requireUser("write:follows")
            let account = try await target(context)
            try await store.unfollow(account.id, by: viewer.id)
            return APIResponse.json(try await entities.relationship(account.id, viewer: viewer.id))
        }
    }

    static func notFound() -> Refusal { Refusal(.notFound, "Record not found: there is no account with this id or handle here.") }

    static func host(_ baseURL: String) -> String {
        var host = baseURL
        if let range = host.range(of: "://") { host = String(host[range.upperBound...]) }
        return host.split(separator: "/").first.map(String.init) ?? host
    }

    /// Who follows an account, or whom it follows, listed to the account itself only (its counts are public). A
    /// survivor's supporters, or the survivors someone follows, are nobody else's business: it is Mastodon's "hide your
    /// network", for everyone.
    func followList(_ list: FollowList, _ request: Request, _ context: ChorusContext) async throws -> Response {
        let viewer = try context.optionalUser("read:accounts")
        let account = try await target(context)
        guard viewer?.id == account.id else { return APIResponse.json([]) }
        let page = try await APIParams.read(request, context: context).page()
        let entries = try await store.followList(list, of: account.id, page: page)
        return APIResponse.page(
            try await entities.accounts(entries.map(\.account)), ids: entries.map(\.cursor), request: request, baseURL: services.config.baseURL,
            limit: page.limit)
    }

    func target(_ context: ChorusContext) async throws -> Account {
        guard let id = context.parameters.get("id", as: Int64.self), let account = try await store.account(id: id), !account.isHiddenBySuspension
        else {
            throw Self.notFound()
        }
        return account
    }
}
