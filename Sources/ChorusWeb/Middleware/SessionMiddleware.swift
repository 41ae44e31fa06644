import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// Signs the browser in from its session cookie and gives it a CSRF token. API requests are left to bearer tokens.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    static let sessionCookie = "chorus_session"
    static let csrfCookie = "chorus_csrf"
    let store: ChorusStore
    let secureCookies: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/api/") { return try await next(request, context) }
        var context = context
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, let account = try await store.account(sessionToken: token) {
            if account.isSuspended {
                context.suspendedAccount = account
            } else {
                context.account = account
                context.sessionToken = token
            }
        }
        let existing = request.cookies[Self.csrfCookie]?.value ?? ""
        context.csrfToken = existing.count == 43 ? existing : Secrets.token()
        var response = try await next(request, context)
        if existing != context.csrfToken {
            response.setCookie(
                Cookie(name: Self.csrfCookie, value: context.csrfToken, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
            )
        }
        return response
    }
}

/// Random secrets for tokens and cookies.
enum Secrets {
    /// 32 random bytes, base64url without padding (43 characters).
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
