import ChorusCore
import ChorusStore
import Hummingbird

/// Reporting a voice, a reply or an account, and following what became of one's reports.
struct ReportsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/report") { request, context in try await form(request, context) }
        router.post("/report", use: send)
        router.get("/account/reports") { request, context in try await outcomes(request, context) }
    }

    /// What is being reported, from the query (GET) or the form (POST).
    private func subject(voice: String?, account: String?, viewer: Account) async throws -> (ReportSubject, description: [String: Any]) {
        if let raw = voice, let id = Int64(raw) {
            guard let voice = try await store.reportableVoice(id: id, viewer: viewer.id) else { throw Refusal.voiceNotFound() }
            return (.voice(id), ["voice_id": String(id), "is_reply": voice.kind == .reply])
        }
        if let handle = account, let found = try await store.account(handle: handle) {
            return (.account(found.id), ["account": found.handle])
        }
        throw Refusal(.notFound, "There is nothing here to report. It may have been deleted.")
    }

    func form(
        _ request: Request, _ context: ChorusContext, values extra: [String: Any] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let viewer = try context.requireAccount(request)
        let query = request.uri.queryParameters
        let words = pages.words(context, request)
        let (_, description) = try await subject(
            voice: extra["voice_id"] as? String ?? query["voice"].map(String.init),
            account: extra["account"] as? String ?? query["account"].map(String.init), viewer: viewer)
        let chosen = extra["category"] as? String
        var values: [String: Any] = description
        values["categories"] = ReportCategory.allCases.map {
            ["value": $0.rawValue, "label": words["mod_category_\($0.rawValue)"], "checked": $0.rawValue == chosen] as [String: Any]
        }
        values["note_limit"] = ChorusStore.reportNoteLimit
        for (key, value) in extra where key != "voice_id" && key != "account" { values[key] = value }
        return pages.render("moderation_report", values, request: request, context: context, status: status)
    }

    @Sendable func send(_ request: Request, context: ChorusContext) async throws -> Response {
        let viewer = try context.requireAccount(request)
        let form = context.submitted
        let voice = try form.value("voice")
        let account = try form.value("account")
        let note = try form.value("note") ?? ""
        do {
            let (subject, _) = try await subject(voice: voice, account: account, viewer: viewer)
            let category = try ReportCategory.parse(try form.value("category"))
            try await store.report(subject, category: category, note: note, by: viewer.id)
            let words = pages.words(context, request)
            return pages.message(
                words["mod_reported_title"], words["mod_reported_text"], request: request, context: context, status: .created,
                back: "/account/reports")
        } catch let error as InputError {
            var values: [String: Any] = ["error": error.message, "note": note, "category": (try? form.value("category")) ?? ""]
            if let voice { values["voice_id"] = voice }
            if let account { values["account"] = account }
            return try await self.form(request, context, values: values, status: .unprocessableContent)
        }
    }

    func outcomes(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let viewer = try context.requireAccount(request)
        let words = pages.words(context, request)
        let reports = try await store.reports(by: viewer.id)
        try await store.markReportOutcomesSeen(accountID: viewer.id)
        let values: [String: Any] = [
            "reports": reports.map { report in
                var values: [String: Any] = [
                    "category": words["mod_category_\(report.category.rawValue)"],
                    "what": words["mod_target_\(report.target.rawValue)"],
                    "when": VoiceView.dateText(report.createdAt),
                    "is_new": report.isNew,
                    "note": report.note.isEmpty ? false : report.note,
                ]
                if let voice = report.voiceID { values["voice_id"] = String(voice) }
                if let action = report.action {
                    values["outcome"] = words["mod_outcome_\(action.rawValue)_\(report.target == .account ? "account" : "voice")"]
                    // A dismissal enforced no rule: it names none.
                    if let rule = report.rule, action != .dismiss { values["rule"] = "\(rule.number). \(words.rule(rule))" }
                    if report.reversed {
                        values["reversed"] = words["mod_outcome_reversed"]
                    } else if report.restoredLater {
                        values["reversed"] = words["mod_outcome_restored_later"]
                    }
                } else {
                    values["outcome"] = words["mod_outcome_open"]
                }
                return values
            }
        ]
        return pages.render("moderation_reports", values, request: request, context: context)
    }
}
