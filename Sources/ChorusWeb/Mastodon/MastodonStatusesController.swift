import ChorusCore
import ChorusStore
import Hummingbird

/// Statuses: the Mastodon face of voices. #MeToo makes a *me too*, #IWill a pledge, a reply is a reply, and a
/// favourite is *I believe you*. New statuses go through the same write path and screening as the web.
struct MastodonStatusesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }
    var actions: VoiceActions { VoiceActions(services: services) }

    func addRoutes(to router: Router<ChorusContext>) {
        router.post("/api/v1/statuses", use: create)
        router.get("/api/v1/statuses/{id}") { _, context in
            let viewer = try context.optionalUser("read:statuses")
            return APIResponse.json(try await entities.status(try await visibleVoice(context, viewer: viewer?.id)))
        }
        router.delete("/api/v1/statuses/{id}") { _, context in
            let account = try context.requireUser("write:statuses")
            let voice = try await visibleVoice(context, viewer: account.id)
            guard voice.isMine else { throw Self.notFound() }
            let json = try await entities.status(voice, includeText: true)
            try await actions.delete(voiceID: voice.id, by: account)
            return APIResponse.json(json)
        }
        router.get("/api/v1/statuses/{id}/context") { _, context in
            let viewer = try context.optionalUser("read:statuses")
            return APIResponse.json(try await threadContext(try await visibleVoice(context, viewer: viewer?.id), viewer: viewer?.id))
        }
        router.post("/api/v1/statuses/{id}/favourite") { _, context in try await favourite(context, true) }
        router.post("/api/v1/statuses/{id}/unfavourite") { _, context in try await favourite(context, false) }
        router.get("/api/v1/statuses/{id}/favourited_by") { request, context in
            let viewer = try context.optionalUser("read:accounts")
            let voice = try await visibleVoice(context, viewer: viewer?.id)
            let params = try await APIParams.read(request, context: context)
            let page = try params.page()
            let believers = try await store.believers(voiceID: voice.id, page: page)
            return APIResponse.page(
                try await entities.accounts(believers.map(\.account)), ids: believers.map(\.beliefID), request: request,
                baseURL: services.config.baseURL, limit: page.limit)
        }
        // Boosts, bookmarks, pins, mutes, edits and media are not part of Chorus: a clear answer rather than a missing page.
        let unsupported: [(String, String)] = [
            ("reblog", "Chorus has no boosts: to stand with someone, say “I believe you” (favourite) or reply."),
            ("unreblog", "Chorus has no boosts."), ("bookmark", "Chorus has no bookmarks yet."), ("unbookmark", "Chorus has no bookmarks yet."),
            ("pin", "Chorus does not pin voices."), ("unpin", "Chorus does not pin voices."), ("mute", "Chorus does not mute threads yet."),
            ("unmute", "Chorus does not mute threads yet."),
        ]
        for (action, message) in unsupported {
            router.post(RouterPath("/api/v1/statuses/{id}/\(action)")) { _, context -> Response in
                let account = try context.requireUser("write:statuses")
                _ = try await visibleVoice(context, viewer: account.id)
                throw Refusal(.unprocessable, message)
            }
        }
        // An edit rewrites a reply the guard holds, as the website's rewrite page does; voices are not edited.
        router.put("/api/v1/statuses/{id}") { request, context -> Response in
            let account = try context.requireUser("write:statuses")
            let voice = try await visibleVoice(context, viewer: account.id)
            guard voice.isMine, voice.state == .held else {
                throw Refusal(.unprocessable, "Chorus does not edit voices: delete it and share it again, if you wish.")
            }
            let params = try await APIParams.read(request, context: context)
            guard let text = try params.string("status"), !text.trimmingWhitespace.isEmpty else {
                throw InputError("Write the reply anew, or delete it to withdraw it.", field: "status")
            }
            let rewritten = try await actions.rewriteHeld(voice, text: text, by: account)
            return APIResponse.json(try await entities.status(rewritten))
        }
        for path in ["/api/v1/media", "/api/v2/media"] {
            router.post(RouterPath(path)) { _, context -> Response in
                _ = try context.requireUser("write:media")
                throw Refusal(.unprocessable, "Chorus does not take pictures or other media: please share words only.")
            }
        }
        router.get("/api/v1/statuses/{id}/reblogged_by") { _, context in
            let viewer = try context.optionalUser("read:accounts")
            _ = try await visibleVoice(context, viewer: viewer?.id)
            return APIResponse.json([])
        }
    }

    static func notFound() -> Refusal {
        Refusal(.notFound, "Record not found: this voice is not here. It may have been deleted, or it is not shared with you.")
    }

    func visibleVoice(_ context: ChorusContext, viewer: Int64?) async throws -> Voice {
        guard let id = context.parameters.get("id", as: Int64.self), let voice = try await store.voice(id: id, viewer: viewer) else {
            throw Self.notFound()
        }
        return voice
    }

    @Sendable func create(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireUser("write:statuses")
        let params = try await APIParams.read(request, context: context)
        // The store keeps a reply in one's own anonymous thread anonymous, for the web and the API alike.
        // A private reply is one in the writer's own journal thread (apps reply with the parent's visibility, "direct"):
        // there every reply stays only-me. Anywhere else a private reply has no one to be private with.
        var ownJournal = false
        if let parentID = try params.id("in_reply_to_id"), let parent = try await store.voice(id: parentID, viewer: account.id) {
            ownJournal = parent.isMine && parent.visibility == .onlyMe
        }
        let draft = try Self.draft(params, account: account, inOwnJournal: ownJournal)
        let key = request.headers[.idempotencyKey].flatMap { $0.isEmpty ? nil : $0 }
        let written: WrittenVoice
        switch try await actions.publish(draft, by: account, idempotencyKey: key) {
        case .written(let voice): written = voice
        case .replayed(let voice?): return APIResponse.json(try await entities.status(voice))
        case .replayed(nil):
            throw Refusal(
                .unprocessable, "This Idempotency-Key was used for a post that has since been deleted. To post again, send it with a new key.")
        }
        // A voice in crisis links its writer to the help of the country in their settings, not to a guess from the
        // app's browser.
        var entities = self.entities
        entities.helpCountry = account.country
        return APIResponse.json(try await entities.status(written.voice))
    }

    /// Reads a new status: the kind from its hashtags, visibility from Mastodon's four (plus `chorus_anonymous`).
    static func draft(_ params: APIParams, account: Account, inOwnJournal: Bool = false) throws -> VoiceDraft {
        if !(try params.strings("media_ids")).isEmpty {
            throw InputError("Chorus does not take pictures or other media: please share words only.", field: "media_ids")
        }
        if params.has("poll") || params.has("poll[options][]") || params.has("poll[options]") {
            throw InputError("Chorus does not have polls.", field: "poll")
        }
        if params.has("scheduled_at") {
            throw InputError("Chorus does not schedule statuses: please send it when you are ready.", field: "scheduled_at")
        }
        guard let text = try params.string("status"), !text.trimmingWhitespace.isEmpty else {
            throw InputError("Write something to share, for example #MeToo.", field: "status")
        }
        let inReplyTo = try params.id("in_reply_to_id")
        var visibility: Visibility
        switch try params.string("visibility") ?? "public" {
        case "public", "unlisted", "": visibility = .public
        case "private", "direct": visibility = .onlyMe
        default: throw InputError("Choose a visibility: public, unlisted, private or direct.", field: "visibility")
        }
        if try params.bool("chorus_anonymous") == true, visibility == .public { visibility = .anonymous }
        let language = try params.string("language").flatMap { $0.isEmpty ? nil : $0 }
        if let language, language.count > 10 || !language.allSatisfy({ $0.isLetter || $0 == "-" }) {
            throw InputError("“language” should be a language code such as en or pt-BR.", field: "language")
        }
        let kind = VoiceKind.of(text: text, isReply: inReplyTo != nil)
        if kind == .reply, visibility == .onlyMe {
            guard inOwnJournal else {
                throw InputError("A reply is meant to be read: choose public or unlisted (or chorus_anonymous).", field: "visibility")
            }
            visibility = .public  // the store keeps every reply in an only-me thread only-me
        }
        let spoiler = try params.string("spoiler_text")
        return VoiceDraft(
            kind: kind, text: text, contentWarning: spoiler, visibility: visibility,
            // An anonymous voice takes no language from the account: a rare one would tie it to the named voices.
            language: language ?? (visibility == .anonymous ? nil : account.language),
            inReplyTo: inReplyTo, replyPolicy: try ReplyPolicy.parse(try params.string("chorus_reply_policy"))
        )
    }

    func threadContext(_ voice: Voice, viewer: Int64?) async throws -> JSON {
        let thread = try await store.thread(rootID: voice.threadRoot, viewer: viewer)
        let byID = Dictionary(thread.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var ancestors: [Voice] = []
        var cursor = voice.inReplyTo
        while let id = cursor, let parent = byID[id], ancestors.count < 1000 {
            ancestors.insert(parent, at: 0)
            cursor = parent.inReplyTo
        }
        var descendantIDs: Set<Int64> = [voice.id]
        var descendants: [Voice] = []
        for candidate in thread where candidate.id != voice.id {
            if let parent = candidate.inReplyTo, descendantIDs.contains(parent) {
                descendantIDs.insert(candidate.id)
                descendants.append(candidate)
            }
        }
        return ["ancestors": .array(try await entities.statuses(ancestors)), "descendants": .array(try await entities.statuses(descendants))]
    }

    func favourite(_ context: ChorusContext, _ believing: Bool) async throws -> Response {
        let account = try context.requireUser("write:favourites")
        let voice = try await visibleVoice(context, viewer: account.id)
        do {
            let updated =
                believing ? try await actions.believe(voiceID: voice.id, by: account) : try await actions.unbelieve(voiceID: voice.id, by: account)
            return APIResponse.json(try await entities.status(updated))
        } catch let refusal as Refusal where refusal.kind == .conflict {
            return APIResponse.json(try await entities.status(voice))
        }
    }
}
