import ChorusCore
import ChorusStore
import Foundation
import HTTPTypes
import Hummingbird

/// Mastodon's apps and OAuth 2: `POST /api/v1/apps`, `/oauth/authorize` (a real page, on the web session),
/// `/oauth/token` (authorization code, password, client credentials) and `/oauth/revoke`.
struct OAuthController {
    static let outOfBand = "urn:ietf:wg:oauth:2.0:oob"
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.post("/api/v1/apps", use: createApp)
        router.get("/api/v1/apps/verify_credentials") { _, context in
            guard context.tokenID != nil, let appID = context.applicationID, let app = try await appFor(id: appID, context) else {
                throw HTTPError(.unauthorized, message: "This needs an access token.")
            }
            return APIResponse.json(appJSON(app, secret: nil))
        }
        router.get("/oauth/authorize") { request, context in try await authorizePage(request, context) }
        router.post("/oauth/authorize") { request, context in try await authorize(request, context) }
        router.post("/oauth/token", use: token)
        router.post("/oauth/revoke", use: revoke)
        // Only over https: clients that read it (Mastodon.py) then insist its endpoints be https, and an instance
        // served over plain http (a test, a laptop) would lock them out.
        if services.config.baseURL.hasPrefix("https://") {
            router.get("/.well-known/oauth-authorization-server") { _, _ in APIResponse.json(serverMetadata) }
        }
    }

    func appFor(id: Int64, _ context: ChorusContext) async throws -> OAuthApp? {
        try await store.app(id: id)
    }

    func appJSON(_ app: OAuthApp, secret: String?) -> JSON {
        var json: JSON = [
            "id": .id(app.id), "name": .string(app.name), "website": .of(app.website),
            "scopes": .array(app.scopes.values.map(JSON.string)), "redirect_uri": .string(app.redirectURIs.joined(separator: "\n")),
            "redirect_uris": .array(app.redirectURIs.map(JSON.string)), "vapid_key": "",
        ]
        if let secret {
            json = json.with("client_id", .string(app.clientID)).with("client_secret", .string(secret)).with("client_secret_expires_at", 0)
        }
        return json
    }

    @Sendable func createApp(_ request: Request, context: ChorusContext) async throws -> Response {
        let params = try await APIParams.read(request, context: context)
        let name = (try params.string("client_name") ?? "").trimmingWhitespace
        guard !name.isEmpty, name.count <= 100 else {
            throw InputError("Give your app a name (client_name) of up to 100 characters.", field: "client_name")
        }
        var redirects = try params.strings("redirect_uris").flatMap { $0.split(whereSeparator: \.isNewline).map(String.init) }
        redirects = redirects.map(\.trimmingWhitespace).filter { !$0.isEmpty }
        if redirects.isEmpty { redirects = [Self.outOfBand] }
        for uri in redirects where !Self.isValidRedirect(uri) {
            throw InputError("“\(uri)” is not a redirect address Chorus can use: give an absolute URI or \(Self.outOfBand).", field: "redirect_uris")
        }
        let scopes = try OAuthScopes(parsing: try params.string("scopes"))
        let website = try params.string("website").flatMap { $0.isEmpty ? nil : $0 }
        let secret = Secrets.token()
        let app = try await store.createApp(
            clientID: Secrets.token(), clientSecret: secret, name: name, website: website, redirectURIs: redirects, scopes: scopes)
        return APIResponse.json(appJSON(app, secret: secret))
    }

    /// RFC 8414's description of this OAuth server, as Mastodon 4.3 serves it: apps learn the endpoints and PKCE's method.
    var serverMetadata: JSON {
        let base = services.config.baseURL
        return [
            "issuer": .string(base + "/"), "authorization_endpoint": .string(base + "/oauth/authorize"),
            "token_endpoint": .string(base + "/oauth/token"), "revocation_endpoint": .string(base + "/oauth/revoke"),
            "app_registration_endpoint": .string(base + "/api/v1/apps"),
            "scopes_supported": .array((OAuthScopes.topLevel.sorted() + OAuthScopes.granular.sorted()).map { .string($0) }),
            "response_types_supported": ["code"], "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "password", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": [.string(ProofKey.method)],
            "service_documentation": .string(base + "/api/openapi.yaml"),
        ]
    }

    static func isValidRedirect(_ uri: String) -> Bool { uri == outOfBand || RedirectTarget(uri) != nil }

    /// Checks what an authorization request asks for. Problems are shown on a page, never sent to an unchecked address.
    func validatedRequest(_ values: (String) throws -> String?) async throws -> (
        app: OAuthApp, redirect: String, scopes: OAuthScopes, state: String?, challenge: String?
    ) {
        guard let clientID = try values("client_id"), let app = try await store.app(clientID: clientID) else {
            throw Refusal(.unprocessable, "This app is not registered here. Please ask the app to connect to this Chorus again.")
        }
        let redirect = try values("redirect_uri") ?? app.redirectURIs.first ?? Self.outOfBand
        guard app.redirectURIs.contains(redirect) else {
            throw Refusal(.unprocessable, "The app asked to send you back to an address it did not register, so it was stopped.")
        }
        if let responseType = try values("response_type"), responseType != "code" {
            throw Refusal(.unprocessable, "Chorus supports the “code” response type only.")
        }
        let scopes = try OAuthScopes(parsing: try values("scope"))
        guard scopes.isSubset(of: app.scopes) else {
            throw Refusal(.unprocessable, "The app asked for more than it registered for (\(scopes)), so it was stopped.")
        }
        // PKCE: an S256 challenge, kept with the code (a "plain" one would protect nothing).
        var challenge: String?
        if let given = try values("code_challenge"), !given.isEmpty {
            guard (try values("code_challenge_method") ?? "plain") == ProofKey.method else {
                throw Refusal(.unprocessable, "Chorus accepts the S256 code_challenge_method only. Please ask the app to use it.")
            }
            guard ProofKey.isWellFormed(given) else {
                throw Refusal(.unprocessable, "The app's code_challenge is not an S256 challenge (43 characters of base64url).")
            }
            challenge = given
        }
        return (app, redirect, scopes, try values("state"), challenge)
    }

    func authorizePage(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let query = Form(request.uri.query ?? "")
        let asked = try await validatedRequest { try query.value($0) }
        guard context.account != nil else {
            let target = (request.uri.path + "?" + (request.uri.query ?? "")).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return redirect(to: "/signin?next=\(target)")
        }
        let words = pages.words(context, request)
        let scopes: [[String: String]] = asked.scopes.values.map { scope in
            let key = "scope_\(scope)"
            let description = words.table[key] ?? words.table["scope_\(scope.split(separator: ":").first ?? "")"] ?? scope
            return ["name": scope, "description": description]
        }
        var response = pages.render(
            "oauth_authorize",
            [
                "authorize_text": words.format("oauth_authorize", ["app": asked.app.name]), "scopes": scopes, "client_id": asked.app.clientID,
                "redirect_uri": asked.redirect, "scope": asked.scopes.description, "state": asked.state ?? "",
                "code_challenge": asked.challenge ?? "",
                // Where the answer goes, as the app's own name can be anything ("Chorus Safety Team").
                "returns_to": RedirectTarget(asked.redirect).map {
                    words.format("oauth_returns_to", ["place": $0.place])
                } ?? false,
            ],
            request: request, context: context
        )
        response.headers[.contentSecurityPolicy] = Self.policy(allowingFormRedirectTo: asked.redirect)
        return response
    }

    /// The page's CSP also lets the form's redirect go back to the app (browsers check `form-action` on redirects).
    static func policy(allowingFormRedirectTo redirect: String) -> String {
        // An app registered before redirects were checked as they are now gets no place in the policy.
        let target = RedirectTarget(redirect).map { " " + $0.source } ?? ""
        return SecurityHeadersMiddleware<ChorusContext>.contentSecurityPolicy.replacingOccurrences(
            of: "form-action 'self'", with: "form-action 'self'\(target)")
    }

    func authorize(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let form = context.submitted
        let asked = try await validatedRequest { try form.value($0) }
        guard let account = context.account else { return redirect(to: "/signin") }
        let words = pages.words(context, request)
        guard try form.value("decision") == "approve" else {
            if asked.redirect == Self.outOfBand {
                return pages.message(words["oauth_denied_title"], words["oauth_denied"], request: request, context: context, status: .ok)
            }
            return redirect(to: Self.appending(["error": "access_denied", "state": asked.state], to: asked.redirect))
        }
        let code = Secrets.token()
        try await store.createAuthorizationCode(
            code, appID: asked.app.id, accountID: account.id, scopes: asked.scopes, redirectURI: asked.redirect, codeChallenge: asked.challenge)
        if asked.redirect == Self.outOfBand {
            return pages.render(
                "oauth_code", ["code": code, "code_text": words.format("oauth_code_text", ["app": asked.app.name])], request: request,
                context: context)
        }
        var response = redirect(to: Self.appending(["code": code, "state": asked.state], to: asked.redirect))
        response.headers[.contentSecurityPolicy] = Self.policy(allowingFormRedirectTo: asked.redirect)
        return response
    }

    static func appending(_ values: [String: String?], to uri: String) -> String {
        let query = values.sorted { $0.key < $1.key }.compactMap { key, value in value.map { "\(key)=\(APIResponse.encode($0))" } }
        return uri + (uri.contains("?") ? "&" : "?") + query.joined(separator: "&")
    }

    /// OAuth's error shape, with words a person (or a developer) can act on.
    static func oauthError(_ status: HTTPResponse.Status, _ code: String, _ description: String) -> Response {
        APIResponse.json(["error": .string(code), "error_description": .string(description)], status: status)
    }

    /// The client, from the body or from HTTP Basic authentication.
    func client(_ request: Request, _ params: APIParams) async throws -> OAuthApp? {
        var id = try params.string("client_id")
        var secret = try params.string("client_secret")
        if let header = request.headers[.authorization], let credentials = BearerAuthMiddleware.credentials(in: header, scheme: "basic"),
            let data = Data(base64Encoded: credentials), let pair = String(data: data, encoding: .utf8),
            let colon = pair.firstIndex(of: ":")
        {
            id = String(pair[..<colon]).removingPercentEncoding
            secret = String(pair[pair.index(after: colon)...]).removingPercentEncoding
        }
        guard let id, let secret else { return nil }
        return try await store.app(clientID: id, clientSecret: secret)
    }

    @Sendable func token(_ request: Request, context: ChorusContext) async throws -> Response {
        let params = try await APIParams.read(request, context: context)
        guard let app = try await client(request, params) else {
            return Self.oauthError(
                .unauthorized, "invalid_client", "The app's client_id and client_secret were not recognised. Register the app again.")
        }
        let token = Secrets.token()
        let grant: OAuthGrant
        switch try params.string("grant_type") ?? "" {
        case "authorization_code":
            // As in OAuth 2.0 (and Mastodon): the code is redeemed with the redirect address it was given for. Asked
            // before the code is used up, so an app that forgot it can send the same code again.
            guard let redirect = try params.string("redirect_uri"), !redirect.isEmpty else {
                return Self.oauthError(
                    .badRequest, "invalid_request", "Send the redirect_uri the app gave when it asked for this code (for example \(Self.outOfBand)).")
            }
            guard let code = try params.string("code"),
                let redeemed = try await store.redeemAuthorizationCode(
                    code, app: app, redirectURI: redirect, codeVerifier: try params.string("code_verifier"), token: token)
            else {
                return Self.oauthError(
                    .badRequest, "invalid_grant",
                    "This code is not valid: it may have been used already, or have expired, or the code_verifier does not match its code_challenge.")
            }
            grant = redeemed
        case "password":
            let scopes = try OAuthScopes(parsing: try params.string("scope") ?? params.string("scopes"))
            guard scopes.isSubset(of: app.scopes) else {
                return Self.oauthError(.badRequest, "invalid_scope", "The app asked for more than it registered for (\(scopes)).")
            }
            guard let account = try await services.signIn(handle: try params.string("username") ?? "", password: try params.string("password") ?? "")
            else {
                return Self.oauthError(.badRequest, "invalid_grant", "The handle and password don't match. Please check them and try again.")
            }
            // The right password of a suspended account: said as it is, with where to read the decision and appeal.
            guard !account.isSuspended else {
                return Self.oauthError(
                    .badRequest, "invalid_grant",
                    "This account is suspended, so apps can't sign in to it. Sign in on the website to read the moderators' decision and appeal it.")
            }
            grant = try await store.createToken(token, app: app, accountID: account.id, scopes: scopes)
        case "client_credentials":
            let scopes = try OAuthScopes(parsing: try params.string("scope") ?? params.string("scopes"))
            guard scopes.isSubset(of: app.scopes) else {
                return Self.oauthError(.badRequest, "invalid_scope", "The app asked for more than it registered for (\(scopes)).")
            }
            grant = try await store.createToken(token, app: app, accountID: nil, scopes: scopes)
        default:
            return Self.oauthError(
                .badRequest, "unsupported_grant_type", "Chorus accepts the authorization_code, password and client_credentials grants.")
        }
        return APIResponse.json([
            "access_token": .string(token), "token_type": "Bearer", "scope": .string(grant.scopes.description),
            "created_at": .int(grant.createdAt / 1000),
        ])
    }

    @Sendable func revoke(_ request: Request, context: ChorusContext) async throws -> Response {
        let params = try await APIParams.read(request, context: context)
        guard let app = try await client(request, params) else {
            return Self.oauthError(.forbidden, "unauthorized_client", "The app's client_id and client_secret were not recognised.")
        }
        if let token = try params.string("token") { try await store.revokeToken(token, appID: app.id) }
        return APIResponse.json([:])
    }
}
