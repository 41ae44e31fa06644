import ChorusCore
import ChorusStore
import Foundation
import HTTPTypes
import Hummingbird

/// Signs API requests in from an OAuth bearer token (`Authorization: Bearer …`, or `access_token` for streaming).
/// The web session cookie never authenticates `/api/`: a page on another site can't act for a person.
/// API requests are counted per account (per client without a token), as Mastodon does: 300 per 5 minutes by
/// default, told in `X-RateLimit-*` headers, then a calm 429 with `Retry-After`.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let store: ChorusStore
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        var context = context
        if let token = Self.token(in: request) {
            guard let grant = try await store.grant(token: token) else {
                throw HTTPError(.unauthorized, message: "The access token is invalid. Please sign in through your app again.")
            }
            context.account = grant.account
            context.scopes = Set(grant.scopes.values)
            context.tokenID = grant.tokenID
            context.applicationID = grant.app.id
        }
        guard
            let window = limiter.count(.api, client: context.account.map { "account:\($0.id)" } ?? "client:" + context.clientFingerprint(of: request))
        else { return try await next(request, context) }
        if let wait = window.wait {
            let minutes = max(1, (wait + 59) / 60)
            var response = ErrorMiddleware.json(
                status: .tooManyRequests,
                message:
                    "This app has made many requests in a short time. Please wait about \(minutes) minute\(minutes == 1 ? "" : "s"), then try again."
            )
            response.headers[.retryAfter] = String(wait)
            Self.describe(window, in: &response.headers)
            return response
        }
        var response = try await next(request, context)
        Self.describe(window, in: &response.headers)
        return response
    }

    /// Mastodon's rate-limit headers, so apps can slow down before they are refused.
    static func describe(_ window: RateLimiter.Window, in headers: inout HTTPFields) {
        headers[.xRateLimitLimit] = String(window.limit.count)
        headers[.xRateLimitRemaining] = String(window.remaining)
        headers[.xRateLimitReset] = Timestamp.iso8601(milliseconds: ChorusDatabase.now() + Int64(window.resetsIn) * 1000)
    }

    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            // The token without the spaces around it.
            let token = credentials(in: header, scheme: "bearer")?.trimmingWhitespace ?? ""
            return token.isEmpty ? nil : token
        }
        if let token = request.uri.queryParameters["access_token"], !token.isEmpty { return String(token) }
        return nil
    }
}

extension BearerAuthMiddleware {
    /// What follows an `Authorization` header's `scheme` (lower case; matched in any case) and one space, as sent; nil
    /// for another scheme. Read without Foundation: every API request passes here.
    static func credentials(in header: String, scheme: String) -> String? {
        let named = header.utf8.prefix(scheme.utf8.count + 1)
        guard named.count == scheme.utf8.count + 1, named.last == UInt8(ascii: " "),
            String(decoding: named.dropLast(), as: UTF8.self).lowercased() == scheme
        else { return nil }
        return String(header.dropFirst(named.count))
    }
}

extension HTTPField.Name {
    static let xRateLimitLimit = Self("X-RateLimit-Limit")!
    static let xRateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let xRateLimitReset = Self("X-RateLimit-Reset")!
}

extension ChorusContext {
    /// The token's scopes, as OAuth scopes.
    var grantedScopes: OAuthScopes { OAuthScopes(Array(scopes)) }

    /// The account behind the bearer token, when the token allows `scope`.
    func requireUser(_ scope: String) throws -> Account {
        guard tokenID != nil, let account else {
            throw HTTPError(.unauthorized, message: "This needs you to be signed in through your app (an access token for an account).")
        }
        try requireScope(scope)
        return account
    }

    /// Refuses a token that was not granted `scope`. Requests with no token are left to the endpoint.
    func requireScope(_ scope: String) throws {
        guard tokenID != nil else { return }
        guard grantedScopes.allows(scope) else {
            throw HTTPError(.forbidden, message: "This action is outside the scopes your app was given (it needs \(scope)).")
        }
    }

    /// The reader of a public endpoint: the token's account, after checking its scope.
    func optionalUser(_ scope: String) throws -> Account? {
        try requireScope(scope)
        return account
    }
}
