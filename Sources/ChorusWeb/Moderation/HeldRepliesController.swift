import ChorusCore
import ChorusStore
import Hummingbird

/// A held reply's writer rewrites or withdraws it; the survivor may look at held replies behind a warning, and
/// chooses who may reply to a voice they already shared.
struct HeldRepliesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/voices/{id}/rewrite") { request, context in try await rewritePage(request, context) }
        router.post("/voices/{id}/rewrite", use: rewrite)
        router.get("/voices/{id}/held") { request, context in try await heldPage(request, context) }
        router.post("/voices/{id}/reply-policy", use: changePolicy)
    }

    private func voiceID(_ context: ChorusContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Refusal.voiceNotFound() }
        return id
    }

    /// One's own held reply, or not found.
    private func ownHeldReply(_ request: Request, _ context: ChorusContext) async throws -> (Account, Voice) {
        let account = try context.requireAccount(request)
        guard let voice = try await store.voice(id: try voiceID(context), viewer: account.id), voice.isMine, voice.kind == .reply else {
            throw Refusal.voiceNotFound()
        }
        guard voice.state == .held else {
            throw Refusal(.conflict, pages.words(context, request)["mod_not_held"])
        }
        return (account, voice)
    }

    func rewritePage(
        _ request: Request, _ context: ChorusContext, voice given: Voice? = nil, text: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (account, held) = try await ownHeldReply(request, context)
        let voice = given ?? held
        let words = pages.words(context, request)
        let language = pages.localization.language(account: account, request: request)
        var values: [String: Any] = ["held": HeldReplyView.values(voice, words: words, language: language), "text": text ?? voice.text]
        if let parent = voice.inReplyTo { values["parent_id"] = String(parent) }
        values["limit"] = VoiceDraft.storyLimit
        if let error { values["error"] = error }
        // Words that say the writer is in danger now bring help at once, as after any reply.
        if given?.crisis == true || text.map({ services.screening.crisisDetector.isCrisis($0) }) == true { values["writer_in_crisis"] = true }
        return pages.render("moderation_rewrite", values, request: request, context: context, status: status)
    }

    /// Screens the new words as a new reply would be. Now supportive: shown in the thread. Otherwise it keeps waiting, with fresh guidance.
    @Sendable func rewrite(_ request: Request, context: ChorusContext) async throws -> Response {
        let (account, voice) = try await ownHeldReply(request, context)
        let text = try context.submitted.value("text") ?? ""
        do {
            let rewritten = try await VoiceActions(services: services).rewriteHeld(voice, text: text, by: account)
            if rewritten.state == .visible { return redirect(to: "/voices/\(rewritten.threadRoot)?said=\(rewritten.id)#v\(rewritten.id)") }
            return try await rewritePage(request, context, voice: rewritten, status: .accepted)
        } catch let error as InputError {
            return try await rewritePage(request, context, text: text, error: error.message, status: .unprocessableContent)
        }
    }

    /// The survivor's own choice to read held replies: a warning first, the replies only after they choose to see them.
    func heldPage(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        guard let root = try await store.voice(id: try voiceID(context), viewer: account.id), root.isMine, root.threadRoot == root.id else {
            throw Refusal.voiceNotFound()
        }
        let words = pages.words(context, request)
        let held = try await store.heldReplies(threadRoot: root.id, owner: account.id)
        let show = request.uri.queryParameters["show"] == "1"
        var values: [String: Any] = [
            "root_id": String(root.id), "count": held.count, "show": show && !held.isEmpty,
            "warning": held.count == 1 ? words["mod_waiting_one"] : words.format("mod_waiting_many", ["n": String(held.count)]),
        ]
        if show {
            values["replies"] = held.map { voice in
                var values = VoiceView.values(voice, words: words)
                values["label_name"] = words["mod_label_\(voice.guardLabel ?? "hostile")"]
                values["is_held"] = false  // the card's note speaks to the writer, not to the survivor
                values["no_actions"] = true  // nobody can open, believe or answer a held reply
                return values
            }
        }
        return pages.render("moderation_held", values, request: request, context: context)
    }

    @Sendable func changePolicy(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        guard let policy = try ReplyPolicy.parse(try context.submitted.value("reply_policy")) else {
            throw InputError("Choose who may reply: everyone, people you follow, “I believe you” only, or nobody.", field: "reply_policy")
        }
        let voice = try await store.setReplyPolicy(policy, voiceID: try voiceID(context), by: account.id)
        return redirect(to: "/voices/\(voice.threadRoot)?policy=saved")
    }
}
