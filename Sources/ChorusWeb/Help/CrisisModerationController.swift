import ChorusCore
import ChorusStore
import Hummingbird

/// `/moderation/crisis`: voices whose words suggest someone may be in danger now, newest first, so moderators can look in.
/// Anonymous voices stay anonymous here too: the store never gives their author.
struct CrisisModerationController {
    let services: ChorusServices
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/moderation/crisis") { request, context in
            let account = try context.requireAccount(request)
            let words = pages.words(context, request)
            guard account.isModerator else { throw Refusal(.forbidden, words["moderators_only"]) }
            let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
            let voices = try await services.store.crisisVoices(page: page)
            // The card's "waiting for review" note speaks to a reply's writer; here a moderator is reading.
            let cards = voices.map { voice in VoiceView.values(voice, words: words).merging(["is_held": false]) { _, new in new } }
            var values: [String: Any] = ["voices": cards]
            if let older = VoiceView.olderLink(voices, limit: page.limit, base: "/moderation/crisis") { values["older"] = older }
            return pages.render("moderation_crisis", values, request: request, context: context)
        }
    }
}
