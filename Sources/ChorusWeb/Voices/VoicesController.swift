import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// Saying *me too*, reading a voice's thread, *I believe you*, replies, and deleting one's own voice.
struct VoicesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("/say") { request, context in
            _ = try context.requireAccount(request)
            return sayPage(request, context, values: [:], status: .ok)
        }
        router.post("/say", use: say)
        router.get("/voices") { request, context in try await list(request, context) }
        router.get("/voices/{id}") { request, context in try await thread(request, context) }
        router.post("/voices/{id}/believe") { request, context in try await believe(request, context, true) }
        router.post("/voices/{id}/unbelieve") { request, context in try await believe(request, context, false) }
        router.post("/voices/{id}/reply", use: reply)
        router.post("/voices/{id}/delete", use: delete)
        router.get("/journal") { request, context in try await journal(request, context) }
    }

    func home(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let magnitude = try await store.magnitude()
        let voices = try await store.newestVoices(kinds: [.meToo], viewer: context.account?.id, page: .init(limit: 20))
        var values: [String: Any] = [
            "metoo_count": magnitude.meTooPeople.groupedText, "believe_count": magnitude.beliefs.groupedText,
            "pledge_count": magnitude.pledges.groupedText, "voices": voices.map { VoiceView.values($0, words: words) },
            "campaign_tags": Hashtags.campaignTags.map { ["name": $0, "path": Hashtags.normalise($0)] },
        ]
        values.merge(try await MagnitudeController.homeValues(store, words)) { _, magnitude in magnitude }
        return pages.render("home", values, request: request, context: context)
    }

    func sayPage(_ request: Request, _ context: ChorusContext, values: [String: Any], status: HTTPResponse.Status) -> Response {
        let words = pages.words(context, request)
        let chosen = values["visibility"] as? String ?? Visibility.public.rawValue
        var all = values
        all["visibilities"] = Visibility.allCases.map { visibility in
            [
                "value": visibility.rawValue, "label": words["visibility_\(visibility.rawValue)"],
                "hint": words["visibility_\(visibility.rawValue)_hint"], "checked": visibility.rawValue == chosen,
            ] as [String: Any]
        }
        // After an error, what the person chose stays chosen: a form that fell back to "everyone" would open their voice
        // wider than they asked.
        let policy = (values["reply_policy"] as? String).flatMap(ReplyPolicy.init(rawValue:))
        all["policies"] = policyOptions(words, selected: policy ?? context.account?.defaultReplyPolicy ?? .everyone)
        all["limit"] = VoiceDraft.storyLimit
        all["submission"] = Secrets.token()
        all["countries"] = MagnitudeController.countryOptions(
            language: pages.localization.language(account: context.account, request: request), selected: values["country"] as? String)
        return pages.render("say", all, request: request, context: context, status: status)
    }

    func policyOptions(_ words: Words, selected: ReplyPolicy) -> [[String: Any]] {
        ReplyPolicy.allCases.map { ["value": $0.rawValue, "label": words["policy_\($0.rawValue)"], "selected": $0 == selected] }
    }

    @Sendable func say(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let form = context.submitted
        let words = pages.words(context, request)
        let text = try form.value("text") ?? ""
        let warning = try form.value("content_warning")
        let visibilityRaw = try form.value("visibility") ?? "public"
        do {
            let draft = VoiceDraft(
                kind: .meToo, text: text, contentWarning: warning, visibility: try Visibility.parse(visibilityRaw),
                language: pages.localization.language(account: account, request: request),
                replyPolicy: try ReplyPolicy.parse(try form.value("reply_policy")), country: try form.value("country")
            )
            // The form's own key: sent twice (a double click, a reload of the page that thanks them), it is said once.
            let submission = try form.value("submission").flatMap { $0.isEmpty || $0.utf8.count > 64 ? nil : "form:" + $0 }
            let voice: Voice
            switch try await VoiceActions(services: services).publish(draft, by: account, idempotencyKey: submission) {
            case .written(let written): voice = written.voice
            case .replayed(let said?): voice = said
            case .replayed(nil): throw Refusal(.conflict, "This form was already sent. To share again, write it anew here.")
            }
            // "You are one of N people": the totals are read after the commit (they include this voice), not in the write.
            let count = try await store.magnitude().meTooPeople
            var values: [String: Any] = [
                "voice": VoiceView.values(voice, words: words),
                "not_alone": MagnitudeController.notAlone(count, words),
                "crisis": voice.crisis,
            ]
            // The country just given, if any, for every number on the page: the crisis panel's and the support line's.
            values.merge(helpOfCountry(given: draft.country, words: words)) { _, new in new }
            return pages.render("said", values, request: request, context: context, status: .created)
        } catch {
            // Refused (too long, too many posts): the words stay in the form, and help is shown at once if they speak
            // of danger, whether or not the voice could be kept.
            guard let (status, refusal) = Self.formRefusal(error, alsoRefusals: .conflict) else { throw error }
            var values: [String: Any] = [
                "text": text, "content_warning": warning ?? "", "visibility": visibilityRaw,
                "country": try form.value("country") ?? "", "reply_policy": try form.value("reply_policy") ?? "",
            ]
            values.merge(refusal) { _, new in new }
            if services.screening.crisisDetector.isCrisis(text) {
                values["crisis"] = true
                let given = (try? CountryChoice.parse(try form.value("country"))) ?? nil
                values.merge(helpOfCountry(given: given, words: words)) { _, new in new }
            }
            return Self.withRetryAfter(sayPage(request, context, values: values, status: status), for: error)
        }
    }

    /// A refusal a form answers on its own page, in `ErrorMiddleware`'s words and status: input to correct, a limit
    /// reached, or a refusal of the kind `alsoRefusals`; nil for anything else, which `ErrorMiddleware` answers.
    static func formRefusal(_ error: any Error, alsoRefusals kind: Refusal.Kind? = nil) -> (HTTPResponse.Status, [String: Any])? {
        switch error {
        case is InputError, is LimitReached: break
        case let refusal as Refusal where refusal.kind == kind: break
        default: return nil
        }
        let (status, message) = ErrorMiddleware.describe(error)
        return (status, Pages.formError(message, field: (error as? InputError)?.field))
    }

    /// The page, with `Retry-After` when a limit was reached (as `ErrorMiddleware` gives it).
    static func withRetryAfter(_ page: Response, for error: any Error) -> Response {
        guard let reached = error as? LimitReached else { return page }
        var response = page
        response.headers[.retryAfter] = String(reached.retryAfter)
        return response
    }

    /// The help of the country the person has just given on the form, before any setting or guess: the crisis panel's
    /// numbers and the support line's.
    func helpOfCountry(given: String?, words: Words) -> [String: Any] {
        guard let given, let directory = pages.help?.current, ReaderHelp.isChoosable(given, in: directory) else { return [:] }
        let code = ReaderHelp.normalised(given)
        let help = directory.help(for: code)
        // One country's numbers on the page: the support line follows the country just given, as the panel does.
        var values: [String: Any] = ["reader_help": HelpView.values(help, words: words), "help_country": code]
        if let support = HelpView.support(help, link: "/help?country=\(code)") { values["support"] = support }
        return values
    }

    /// Screens, stores and announces a voice: the one write path, shared with the Mastodon API.
    func publish(_ draft: VoiceDraft, by account: Account) async throws -> WrittenVoice {
        try await VoiceActions(services: services).publish(draft, by: account)
    }

    func list(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
        let voices = try await store.newestVoices(kinds: [.meToo], viewer: context.account?.id, page: page)
        var values: [String: Any] = ["voices": voices.map { VoiceView.values($0, words: words) }]
        if let older = VoiceView.olderLink(voices, limit: page.limit, base: "/voices") { values["older"] = older }
        return pages.render("voices", values, request: request, context: context)
    }

    func voiceID(_ context: ChorusContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Refusal.voiceNotFound() }
        return id
    }

    func thread(
        _ request: Request, _ context: ChorusContext, values extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try voiceID(context)
        let viewer = context.account?.id
        guard let voice = try await store.voice(id: id, viewer: viewer) else { throw Refusal.voiceNotFound() }
        let words = pages.words(context, request)
        let language = pages.localization.language(account: context.account, request: request)
        let all = try await store.thread(rootID: voice.threadRoot, viewer: viewer)
        let root = all.first { $0.id == voice.threadRoot } ?? voice
        let replies = all.filter { $0.id != root.id }
        // The writer is told a moderator hid their voice or reply, and only then: one kept apart by a block looks
        // like any other (saying so would tell them they were blocked).
        let ownHidden = all.filter { $0.isMine && $0.state == .hidden }.map(\.id)
        let hiddenByModerators = ownHidden.isEmpty ? [] : try await store.voicesHiddenByModerators(ids: ownHidden)
        func card(_ voice: Voice, _ values: [String: Any]) -> [String: Any] {
            hiddenByModerators.contains(voice.id) ? values.merging(["hidden_by_moderators": true]) { _, new in new } : values
        }
        var values: [String: Any] = [
            "voice": card(root, VoiceView.values(root, words: words)),
            "replies": replies.map { card($0, HeldReplyView.values($0, words: words, language: language)) },
            "can_reply": context.account != nil && (root.isMine || Self.othersMayReply(to: root)),
            "policy_note": root.replyPolicy == .everyone ? false : words["policy_note_\(root.replyPolicy.rawValue)"],
            "reply_limit": VoiceDraft.storyLimit,
            // The writer of a held reply reads RAINN's tips in its guidance: the same list above the form stays folded.
            "guidance_shown": replies.contains(where: HeldReplyView.showsGuidance),
        ]
        // After a change of who may reply (`?policy=saved`), it says it was saved.
        if request.uri.queryParameters["policy"] == "saved" { values["saved_notice"] = words["policy_saved"] }
        // The writer of a reply the crisis detector flagged sees help at once, above the thread.
        if let said = request.uri.queryParameters["said"].flatMap({ Int64($0) }), all.contains(where: { $0.id == said && $0.isMine && $0.crisis }) {
            values["writer_in_crisis"] = true
        }
        for (key, value) in try await ThreadModeration.extras(root: root, viewer: context.account, store: store, words: words) { values[key] = value }
        for (key, value) in extra { values[key] = value }
        return pages.render("voice", values, request: request, context: context, status: status)
    }

    /// Whether anyone but the author may write in a thread: never under "nobody" or "I believe you only", and under "people
    /// I follow" not on an anonymous voice (see `ChorusStore.replyPlace`).
    static func othersMayReply(to root: Voice) -> Bool {
        switch root.replyPolicy {
        case .everyone: return true
        case .following: return root.visibility == .public
        case .believeOnly, .nobody: return false
        }
    }

    func believe(_ request: Request, _ context: ChorusContext, _ believing: Bool) async throws -> Response {
        let account = try context.requireAccount(request)
        let id = try voiceID(context)
        do {
            let actions = VoiceActions(services: services)
            let voice = believing ? try await actions.believe(voiceID: id, by: account) : try await actions.unbelieve(voiceID: id, by: account)
            return redirect(to: "/voices/\(voice.threadRoot)#v\(voice.id)")
        } catch let refusal as Refusal where refusal.kind == .conflict || refusal.kind == .unprocessable {
            return try await thread(
                request, context, values: ["error": refusal.message], status: refusal.kind == .conflict ? .conflict : .unprocessableContent)
        }
    }

    @Sendable func reply(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let id = try voiceID(context)
        let text = try context.submitted.value("text") ?? ""
        do {
            let draft = VoiceDraft(
                kind: .reply, text: text, visibility: .public, language: pages.localization.language(account: account, request: request),
                inReplyTo: id
            )
            let written = try await publish(draft, by: account)
            if written.voice.state == .held {
                let language = pages.localization.language(account: account, request: request)
                let held = HeldReplyView.values(written.voice, words: pages.words(context, request), language: language)
                return try await thread(request, context, values: ["held": held, "writer_in_crisis": written.voice.crisis], status: .accepted)
            }
            return redirect(to: "/voices/\(written.voice.threadRoot)?said=\(written.voice.id)#v\(written.voice.id)")
        } catch {
            // Refused: the reply stays in its box, and a reply that speaks of danger gets help at once all the same.
            guard let (status, refusal) = Self.formRefusal(error, alsoRefusals: .unprocessable) else { throw error }
            var values: [String: Any] = ["reply_text": text, "writer_in_crisis": services.screening.crisisDetector.isCrisis(text)]
            values.merge(refusal) { _, new in new }
            return Self.withRetryAfter(try await thread(request, context, values: values, status: status), for: error)
        }
    }

    /// Deletes one's voice or reply once confirmed: a press of "Delete" first asks, since a voice goes with every reply
    /// and "I believe you" it received, and nothing brings it back.
    @Sendable func delete(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let id = try voiceID(context)
        guard try context.submitted.value("confirmed") == "yes" else {
            guard let voice = try await store.voice(id: id, viewer: account.id), voice.isMine else { throw Refusal.voiceNotFound() }
            return pages.render(
                "delete_voice", ["id": String(id), "thread": String(voice.threadRoot), "is_thread": voice.threadRoot == voice.id], request: request,
                context: context)
        }
        try await VoiceActions(services: services).delete(voiceID: id, by: account)
        let words = pages.words(context, request)
        return pages.message(words["voice_deleted_title"], words["voice_deleted"], request: request, context: context, status: .ok, back: "/")
    }

    func journal(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let words = pages.words(context, request)
        let page = PageRequest(maxID: request.uri.queryParameters["max_id"].flatMap { Int64($0) })
        let voices = try await store.ownVoices(accountID: account.id, page: page)
        var values: [String: Any] = ["voices": voices.map { VoiceView.values($0, words: words) }]
        if let older = VoiceView.olderLink(voices, limit: page.limit, base: "/journal") { values["older"] = older }
        return pages.render("journal", values, request: request, context: context)
    }
}
