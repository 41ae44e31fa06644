import ChorusCore
import ChorusStore
import Hummingbird

/// What moderators decided about a person's voices or account, with the rule and the reason, and one appeal for each.
/// A suspended person can still open this page: it is the one thing their session still allows.
struct AppealsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/account/moderation") { request, context in try await page(request, context) }
        router.post("/account/moderation/{id}/appeal", use: appeal)
    }

    /// The signed-in account, suspended or not.
    private func person(_ request: Request, _ context: ChorusContext) async throws -> (Account, ChorusContext) {
        if let account = context.account { return (account, context) }
        if let account = context.suspendedAccount {
            var context = context
            context.account = account
            context.sessionToken = request.cookies[SessionMiddleware.sessionCookie]?.value
            return (account, context)
        }
        throw SignInRequired(returnTo: request.uri.path)
    }

    func page(
        _ request: Request, _ context: ChorusContext, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (account, context) = try await person(request, context)
        let words = pages.words(context, request)
        let actions = try await store.actions(concerning: account.id)
        try await store.markActionsSeen(accountID: account.id)
        var values: [String: Any] = [
            "suspended": account.isSuspended,
            "actions": actions.map { action -> [String: Any] in
                var values: [String: Any] = [
                    "id": String(action.id), "what": words["mod_you_\(action.action.rawValue)"],
                    "rule": "\(action.rule.number). \(words.rule(action.rule))",
                    "reason": action.reason, "when": VoiceView.dateText(action.createdAt), "can_appeal": action.canAppeal, "undone": !action.inEffect,
                    "appeal_limit": ChorusStore.appealLimit,
                ]
                if let text = action.voiceText { values["voice_text"] = text }
                if let state = action.appealState {
                    values["appeal_state"] = words["mod_your_appeal_\(state.rawValue)"]
                    values["appeal_text"] = action.appealText ?? ""
                    if let reason = action.appealReason { values["appeal_reason"] = reason }
                }
                return values
            },
        ]
        if let error { values["error"] = error }
        return pages.render("moderation_account", values, request: request, context: context, status: status)
    }

    @Sendable func appeal(_ request: Request, context: ChorusContext) async throws -> Response {
        let (account, personContext) = try await person(request, context)
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw Refusal(.notFound, "There is no decision here that you can appeal.")
        }
        do {
            try await store.appeal(actionID: id, text: try context.submitted.value("text") ?? "", by: account.id)
            return redirect(to: "/account/moderation?appealed=1")
        } catch let error as InputError {
            return try await page(request, personContext, error: error.message, status: .unprocessableContent)
        }
    }
}
