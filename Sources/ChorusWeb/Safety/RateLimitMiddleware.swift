import ChorusCore
import Hummingbird

/// Slows down password guessing, mass sign-ups and floods: a calm 429 with `Retry-After`, keyed on the client's
/// in-memory fingerprint (never its address).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let limiter: RateLimiter
    let pages: Pages

    static func action(for request: Request) -> RateLimitedAction? {
        guard request.method == .post else { return nil }
        let path = request.uri.path
        switch path {
        case "/signin", "/recover", "/oauth/token": return .signIn
        case "/signup", "/api/v1/accounts": return .signUp
        case "/say", "/pledges", "/api/v1/statuses": return .posting
        default:
            if path.hasPrefix("/voices/"), path.hasSuffix("/reply") { return .posting }
            return nil
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let action = Self.action(for: request), let wait = limiter.attempt(action, client: context.clientFingerprint(of: request)) else {
            return try await next(request, context)
        }
        let words = pages.words(context, request)
        let minutes = max(1, (wait + 59) / 60)
        let message = words.format("rate_limited_\(action.rawValue)", ["minutes": String(minutes)])
        var response: Response
        if ErrorMiddleware.wantsJSON(request) {
            response = ErrorMiddleware.json(status: .tooManyRequests, message: message)
        } else {
            response = pages.message(words["rate_limited_title"], message, request: request, context: context, status: .tooManyRequests)
        }
        response.headers[.retryAfter] = String(wait)
        return response
    }
}
