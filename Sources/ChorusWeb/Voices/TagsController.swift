import ChorusCore
import ChorusStore
import Hummingbird

/// A page per hashtag: #MeToo and the others of 2017, in every language.
struct TagsController {
    let services: ChorusServices
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/tags/{tag}") { request, context in
            let raw = context.parameters.get("tag") ?? ""
            let name = raw.removingPercentEncoding ?? raw
            guard Hashtags.isValidName(name) else {
                throw Refusal(.notFound, pages.words(context, request)["tag_invalid"])
            }
            let words = pages.words(context, request)
            let tag = Hashtags.normalise(name)
            let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
            let voices = try await services.store.voices(tag: tag, viewer: context.account?.id, page: page)
            var values: [String: Any] = [
                "tag": name, "voices": voices.map { VoiceView.values($0, words: words) },
                "is_metoo_tag": Hashtags.isMeToo(tag), "is_pledge_tag": Hashtags.isPledge(tag),
            ]
            if let older = VoiceView.olderLink(voices, limit: page.limit, base: "/tags/\(tag)") { values["older"] = older }
            return pages.render("tag", values, request: request, context: context)
        }
    }
}
