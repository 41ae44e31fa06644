import ChorusCore
import ChorusStore
import Hummingbird

/// The instance's rules, which every moderation decision names, and the public counts of those decisions.
struct RulesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/rules") { request, context in try await rules(request, context) }
        router.post("/rules", use: save)
        router.get("/transparency") { request, context in try await transparency(request, context) }
    }

    func rules(_ request: Request, _ context: ChorusContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let words = pages.words(context, request)
        // A moderator edits the rule as stored (a default rule is shown to readers in their language).
        var values: [String: Any] = [
            "rules": try await store.rules().map { ["number": $0.number, "text": words.rule($0), "stored_text": $0.text] as [String: Any] },
            "can_edit": context.account?.isModerator == true,
            "rule_limit": Rule.textLimit,
        ]
        if let error { values["error"] = error }
        return pages.render("moderation_rules", values, request: request, context: context, status: status)
    }

    @Sendable func save(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        guard account.isModerator else { throw Refusal(.forbidden, pages.words(context, request)["mod_only_moderators"]) }
        let form = context.submitted
        do {
            // An empty number adds a rule; any other must be a rule's (rules are never removed, so a typo must not add one).
            let typed = (try form.value("number") ?? "").trimmingWhitespace
            guard typed.isEmpty || Int(typed) != nil else { throw InputError("There is no rule \(typed).", field: "number") }
            let number = Int(typed)
            try await store.saveRule(number: number, text: try form.value("text") ?? "", by: account.id)
            return redirect(to: "/rules")
        } catch let error as InputError {
            return try await rules(request, context, error: error.message, status: .unprocessableContent)
        }
    }

    /// Counts per month, action and rule: no handle, no text, nothing about anyone.
    func transparency(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let counts = try await store.transparencyCounts()
        var months: [(String, [[String: Any]])] = []
        for count in counts {
            let row: [String: Any] = [
                "action": words["mod_count_\(count.action)"], "action_key": count.action, "rule": count.rule, "count": count.count,
            ]
            if months.last?.0 == count.month { months[months.count - 1].1.append(row) } else { months.append((count.month, [row])) }
        }
        let values: [String: Any] = [
            "months": months.map { ["month": $0.0, "rows": $0.1] as [String: Any] },
            "rules": try await store.rules().map { ["number": $0.number, "text": words.rule($0)] as [String: Any] },
        ]
        return pages.render("moderation_transparency", values, request: request, context: context)
    }
}
