import ChorusCore
import ChorusStore
import Hummingbird

/// A short notice at the top of a page, with a link to read more.
struct PageNotice: Sendable {
    let text: String
    let link: String
    let linkText: String
}

/// Tells a signed-in person, on their next visit, that a report they made was decided or that a moderator acted on
/// something of theirs. The notice stays until they open the page it links to.
struct ModerationNoticeMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let store: ChorusStore
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, !ErrorMiddleware.wantsJSON(request), !request.uri.path.hasPrefix("/static/") else {
            return try await next(request, context)
        }
        var context = context
        guard let account = context.account else {
            // The session middleware treats a suspended person as signed out; they are still told where to read why.
            if context.suspendedAccount != nil, request.uri.path != "/account/moderation" {
                let words = pages.words(context, request)
                context.notices.append(
                    PageNotice(text: words["mod_notice_suspended"], link: "/account/moderation", linkText: words["mod_notice_actions_link"]))
            }
            return try await next(request, context)
        }
        let notices = try await store.moderationNotices(accountID: account.id)
        let words = pages.words(context, request)
        if notices.reportOutcomes > 0, request.uri.path != "/account/reports" {
            context.notices.append(
                PageNotice(text: words["mod_notice_reports"], link: "/account/reports", linkText: words["mod_notice_reports_link"]))
        }
        if notices.actionsOnYou > 0, request.uri.path != "/account/moderation" {
            context.notices.append(
                PageNotice(text: words["mod_notice_actions"], link: "/account/moderation", linkText: words["mod_notice_actions_link"]))
        }
        return try await next(request, context)
    }
}

/// Every moderation page and action, added after the other areas.
enum ModerationRoutes {
    static func add(to router: Router<ChorusContext>, services: ChorusServices) {
        HeldRepliesController(services: services).addRoutes(to: router)
        BoundariesController(services: services).addRoutes(to: router)
        ReportsController(services: services).addRoutes(to: router)
        ModerationController(services: services).addRoutes(to: router)
        RulesController(services: services).addRoutes(to: router)
        AppealsController(services: services).addRoutes(to: router)
    }
}
