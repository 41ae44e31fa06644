import ChorusCore
import ChorusStore
import Hummingbird

/// Signs API requests in from an OAuth bearer token (`Authorization: Bearer …`, or `access_token` for streaming).
/// The web session cookie never authenticates `/api/`: a page on another site can't act for a person.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let store: ChorusStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/"), let token = Self.token(in: request) else { return try await next(request, context) }
        guard let grant = try await store.grant(token: token) else {
            throw HTTPError(.unauthorized, message: "The access token is invalid. Please sign in through your app again.")
        }
        var context = context
        context.account = grant.account
        context.scopes = Set(grant.scopes.values)
        context.tokenID = grant.tokenID
        context.applicationID = grant.app.id
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let token = parts[1].trimmingCharacters(in: .whitespaces)
                return token.isEmpty ? nil : token
            }
            return nil
        }
        if let token = request.uri.queryParameters["access_token"], !token.isEmpty { return String(token) }
        return nil
    }
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
