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
        context.csrfToken = Secrets.isToken(existing) ? existing : Secrets.token()
        var response = try await next(request, context)
        // An answer any cache may keep and give to others (static files, the badge, open data) carries no one's token.
        let shared = response.headers[.cacheControl]?.contains("public") == true
        if existing != context.csrfToken, !shared {
            response.setCookie(
                Cookie(name: Self.csrfCookie, value: context.csrfToken, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
            )
        }
        return response
    }
}

/// Random secrets for tokens and cookies.
enum Secrets {
    /// Whether `text` could be one of `token()`'s: anything else a browser sends (quotes, pieces of a page) is replaced.
    static func isToken(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy(tokenBytes.contains)
    }

    /// base64url's alphabet, which `token()` writes in.
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let tokenBytes = Set(alphabet)

    /// 32 random bytes, base64url without padding (43 characters).
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(33)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        // base64url without padding: 32 bytes are 42 groups of 6 bits and 2 bits more.
        bytes.append(0)
        var text: [UInt8] = []
        text.reserveCapacity(43)
        for group in stride(from: 0, to: 33, by: 3) {
            let value = UInt32(bytes[group]) << 16 | UInt32(bytes[group + 1]) << 8 | UInt32(bytes[group + 2])
            for shift in [18, 12, 6, 0] where text.count < 43 { text.append(alphabet[Int(value >> UInt32(shift) & 0x3F)]) }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
