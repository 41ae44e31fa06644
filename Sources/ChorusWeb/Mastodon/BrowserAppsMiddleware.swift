import HTTPTypes
import Hummingbird

/// Lets Mastodon apps that run in a browser on their own site (Elk, Phanpy, Semaphore) call the API, as Mastodon does:
/// any origin, on the API, OAuth's token endpoints and the discovery documents, without credentials. That is safe
/// because only a bearer token opens the API: the web session's cookie never does, and a browser sends no cookie to
/// an answer that allows any origin.
struct BrowserAppsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var exposed: String { "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After, Idempotency-Key" }
    static var methods: String { "GET, POST, PUT, DELETE, PATCH, OPTIONS" }

    static func isOpenToApps(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/oauth/token" || path == "/oauth/revoke" || path.hasPrefix("/.well-known/")
            || path.hasPrefix("/nodeinfo/") || path == "/health"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.isOpenToApps(request.uri.path) else { return try await next(request, context) }
        // A preflight asks before the request itself: it is answered here, whatever the route.
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: "*", .accessControlAllowMethods: Self.methods, .accessControlMaxAge: "86400",
            ]
            headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "Authorization, Content-Type"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposed
        return response
    }
}
