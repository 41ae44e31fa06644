import ChorusCore
import ChorusStore
import Hummingbird

/// Timelines: home (own voices, followed accounts' public voices, followed hashtags), public (this instance) and hashtag;
/// and the voices a person said *I believe you* to (favourites).
struct MastodonTimelinesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v1/timelines/home") { request, context in
            let account = try context.requireUser("read:statuses")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            return try await respond(try await store.homeTimeline(accountID: account.id, page: page), request, page)
        }
        router.get("/api/v1/timelines/public") { request, context in
            let viewer = try context.optionalUser("read:statuses")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            if try params.bool("remote") == true || params.bool("only_media") == true { return try await respond([], request, page) }
            return try await respond(try await store.newestVoices(viewer: viewer?.id, page: page), request, page)
        }
        router.get("/api/v1/timelines/tag/{hashtag}") { request, context in
            let viewer = try context.optionalUser("read:statuses")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            let raw = context.parameters.get("hashtag") ?? ""
            let name = (raw.removingPercentEncoding ?? raw).trimmingCharacters(in: ["#"])
            guard Hashtags.isValidName(name) else {
                throw InputError("“\(name)” is not a hashtag: use letters, digits and _ only.", field: "hashtag")
            }
            if try params.bool("remote") == true || params.bool("only_media") == true { return try await respond([], request, page) }
            return try await respond(try await store.voices(tag: name, viewer: viewer?.id, page: page), request, page)
        }
        router.get("/api/v1/favourites") { request, context in
            let account = try context.requireUser("read:favourites")
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            let believed = try await store.believedVoices(by: account.id, page: page)
            return APIResponse.page(
                try await entities.statuses(believed.map(\.voice)), ids: believed.map(\.beliefID), request: request,
                baseURL: services.config.baseURL, limit: page.limit)
        }
    }

    func respond(_ voices: [Voice], _ request: Request, _ page: PageRequest) async throws -> Response {
        APIResponse.page(
            try await entities.statuses(voices), ids: voices.map(\.id), request: request, baseURL: services.config.baseURL, limit: page.limit)
    }
}
