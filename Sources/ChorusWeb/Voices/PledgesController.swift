import ChorusCore
import ChorusStore
import Hummingbird

/// *I will*: commitments allies make, counted and listed, with suggestions for those unsure what to write.
struct PledgesController {
    let services: ChorusServices
    let voices: VoicesController
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/pledges") { request, context in try await page(request, context) }
        router.post("/pledges", use: pledge)
    }

    func page(_ request: Request, _ context: ChorusContext, values extra: [String: Any] = [:], status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let words = pages.words(context, request)
        let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
        let pledges = try await services.store.newestVoices(kinds: [.pledge], viewer: context.account?.id, page: page)
        var values: [String: Any] = [
            // The published total, as on every other page: below the minimum it is not shown (see `publishedMagnitude`).
            "pledge_count": try await services.store.publishedMagnitude().pledges.map { $0.groupedText } ?? words["magnitude_fewer"],
            "pledges": pledges.map { VoiceView.values($0, words: words) },
            "suggestions": (1...6).map { words["pledge_suggestion_\($0)"] },
            "limit": VoiceDraft.pledgeLimit,
        ]
        if let older = VoiceView.olderLink(pledges, limit: page.limit, base: "/pledges") { values["older"] = older }
        for (key, value) in extra { values[key] = value }
        return pages.render("pledges", values, request: request, context: context, status: status)
    }

    @Sendable func pledge(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let form = context.submitted
        let text = try form.value("text") ?? ""
        do {
            let draft = VoiceDraft(
                kind: .pledge, text: text, visibility: try Visibility.parse(try form.value("visibility")),
                language: pages.localization.language(account: account, request: request)
            )
            let written = try await voices.publish(draft, by: account)
            // A pledge the crisis detector flagged: its writer sees help at once, on its page (as after a reply).
            if written.voice.crisis { return redirect(to: "/voices/\(written.voice.id)?said=\(written.voice.id)") }
            return redirect(to: "/pledges?pledged=1")
        } catch let error as InputError {
            // The visibility chosen stays chosen: an anonymous pledge must not come back as a public one.
            let anonymous = (try? form.value("visibility")) == Visibility.anonymous.rawValue
            return try await page(
                request, context,
                values: Pages.formError(error.message, field: error.field).merging(["text": text, "anonymous": anonymous]) { _, new in new },
                status: .unprocessableContent)
        }
    }
}
