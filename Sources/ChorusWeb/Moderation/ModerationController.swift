import ChorusCore
import ChorusStore
import Hummingbird

/// The moderators' queue: open reports, held replies, appeals and recent actions, each decided with a rule and a reason.
/// An anonymous voice's author is never shown here: such a voice reads "someone", and its author can be suspended unnamed.
struct ModerationController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/moderation") { request, context in try await queue(request, context) }
        router.post("/moderation/reports/{id}") { request, context in try await act(request, context) { .report($0) } }
        router.post("/moderation/voices/{id}") { request, context in try await act(request, context) { .voice($0) } }
        router.post("/moderation/actions/{id}/restore") { request, context in try await act(request, context, fixed: .restore) { .action($0) } }
        router.post("/moderation/appeals/{id}") { request, context in try await decideAppeal(request, context) }
    }

    private func moderator(_ request: Request, _ context: ChorusContext) throws -> Account {
        let account = try context.requireAccount(request)
        guard account.isModerator else { throw Refusal(.forbidden, pages.words(context, request)["mod_only_moderators"]) }
        return account
    }

    func queue(_ request: Request, _ context: ChorusContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let account = try moderator(request, context)
        let words = pages.words(context, request)
        let queue = try await store.moderationQueue(moderatorID: account.id)
        let rules = try await store.rules().map { ["number": $0.number, "text": words.rule($0)] as [String: Any] }
        func choices(_ kinds: [(ModerationActionKind, String)]) -> [[String: Any]] {
            kinds.map { ["value": $0.0.rawValue, "label": words[$0.1]] }
        }
        var values: [String: Any] = [
            "rules": rules,
            "reports": queue.reports.map { report -> [String: Any] in
                var values: [String: Any] = [
                    "id": String(report.id), "what": words["mod_target_\(report.target.rawValue)"],
                    "category": words["mod_category_\(report.category.rawValue)"], "note": report.note.isEmpty ? false : report.note,
                    "when": VoiceView.dateText(report.createdAt),
                    "action_url": "/moderation/reports/\(report.id)",
                ]
                if let voice = report.voice {
                    values["voice"] = VoiceView.values(voice, words: words)
                    let suspendLabel = voice.author == .someone ? "mod_action_suspend_voice_author" : "mod_action_suspend_author"
                    values["choices"] = choices([(.hide, "mod_action_hide"), (.suspend, suspendLabel), (.dismiss, "mod_action_dismiss")])
                } else if let handle = report.accountHandle {
                    values["account"] = handle
                    values["choices"] = choices([(.suspend, "mod_action_suspend_account"), (.dismiss, "mod_action_dismiss")])
                } else {
                    values["gone"] = true
                    values["choices"] = choices([(.dismiss, "mod_action_dismiss")])
                }
                return values
            },
            "held": queue.heldReplies.map { voice -> [String: Any] in
                var card = VoiceView.values(voice, words: words)
                card["is_held"] = false
                var values: [String: Any] = [
                    "voice": card, "label_name": words["mod_label_\(voice.guardLabel ?? "hostile")"],
                    "action_url": "/moderation/voices/\(voice.id)",
                    "choices": choices([(.approve, "mod_action_approve"), (.reject, "mod_action_reject")]),
                ]
                if let parent = voice.inReplyTo.flatMap({ queue.answered[$0] }) {
                    var answering: [String: Any] = ["html": VoiceHTML.render(parent.text)]
                    if let warning = parent.contentWarning { answering["cw"] = warning }
                    values["answering"] = answering
                }
                return values
            },
            "appeals": queue.appeals.map { appeal -> [String: Any] in
                var values: [String: Any] = [
                    "id": String(appeal.actionID), "action": words["mod_did_\(appeal.action.rawValue)"],
                    "rule": "\(appeal.rule.number). \(words.rule(appeal.rule))", "reason": appeal.reason, "appeal_text": appeal.appealText,
                ]
                if let voice = appeal.voice { values["voice"] = VoiceView.values(voice, words: words) }
                if let handle = appeal.accountHandle { values["account"] = handle }
                return values
            },
            "recent": queue.recent.map { action -> [String: Any] in
                var values: [String: Any] = [
                    "id": String(action.id), "action": words["mod_did_\(action.action.rawValue)"], "rule": action.ruleNumber,
                    "reason": action.reason, "when": VoiceView.dateText(action.createdAt), "can_restore": action.canRestore,
                    "action_url": "/moderation/actions/\(action.id)/restore",
                ]
                if let voice = action.voiceID { values["voice_id"] = String(voice) }
                if let handle = action.accountHandle { values["account"] = handle }
                if let appeal = action.appealState { values["appeal"] = words["mod_appeal_\(appeal.rawValue)"] }
                return values
            },
        ]
        values["is_empty"] = queue.reports.isEmpty && queue.heldReplies.isEmpty && queue.appeals.isEmpty
        if let error { values["error"] = error }
        return pages.render("moderation_queue", values, request: request, context: context, status: status)
    }

    /// Every action needs a rule and a reason; a missing one is a 422 with the queue and a message.
    func act(
        _ request: Request, _ context: ChorusContext, fixed: ModerationActionKind? = nil, _ subject: (Int64) -> ModerationSubject
    ) async throws -> Response {
        let account = try moderator(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Refusal(.notFound, "This item is not in the queue.") }
        let form = context.submitted
        do {
            let action = try fixed ?? ModerationActionKind.parse(try form.value("action"))
            let decision = try ModerationDecision(action: action, rule: try form.value("rule"), reason: try form.value("reason"))
            let result = try await store.act(decision, on: subject(id), by: account.id)
            try await publish(result, action: action)
            return redirect(to: "/moderation?done=1")
        } catch let error as InputError {
            return try await queue(request, context, error: error.message, status: .unprocessableContent)
        } catch let refusal as Refusal where refusal.kind == .unprocessable {
            return try await queue(request, context, error: refusal.message, status: .unprocessableContent)
        }
    }

    /// Live pages add a voice a moderator showed, and drop one they hid.
    private func publish(_ result: ModerationResult, action: ModerationActionKind) async throws {
        if let warned = result.warnedAccountID {
            services.live.publish(LiveEvent(kind: .notification, isListed: false, accountID: warned))
        }
        // A full suspension takes the account's public voices (and the replies in its threads) from every stream.
        for hidden in result.hiddenWithAccount where hidden != result.voiceID {
            services.live.publish(LiveEvent(kind: .deleted, voiceID: hidden))
        }
        guard let voiceID = result.voiceID, action != .dismiss, action != .reject else { return }
        if let voice = result.shownVoice, action == .approve {
            // An approved reply reaches the person it answers as any reply does.
            try await VoiceActions(services: services).announceShownReply(voice)
        } else if let voice = result.shownVoice, action == .restore {
            services.live.publish(LiveEvent(kind: .voice, voiceID: voice.id, tags: voice.hashtags, isListed: voice.visibility.isListed))
        } else {
            services.live.publish(LiveEvent(kind: .deleted, voiceID: voiceID))
        }
    }

    func decideAppeal(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try moderator(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Refusal(.notFound, "This appeal is not in the queue.") }
        let form = context.submitted
        do {
            let decision = try form.value("decision")
            guard decision == "grant" || decision == "deny" else {
                throw InputError("Choose whether to grant the appeal (undo the decision) or deny it (keep it).", field: "decision")
            }
            try await store.decideAppeal(actionID: id, grant: decision == "grant", reason: try form.value("reason") ?? "", by: account.id)
            return redirect(to: "/moderation?done=1")
        } catch let error as InputError {
            return try await queue(request, context, error: error.message, status: .unprocessableContent)
        }
    }
}
