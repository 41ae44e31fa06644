import ChorusCore
import ChorusStore
import ChorusTestSupport
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Apps and OAuth: registering, the password and authorization-code grants (with a real sign-in and consent page),
/// client credentials, revocation and scopes.
@Suite struct MastodonOAuthTests {
    @Test func passwordGrantGivesATokenThatVerifiesCredentials() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            // act
            let api = try await MastodonClient.signedUp(client, "ana")
            let me = try await api.get("/api/v1/accounts/verify_credentials")
            let wrong = try await api.post(
                "/oauth/token",
                form: [
                    ("grant_type", "password"), ("username", "ana"), ("password", "not it"), ("client_id", api.clientID),
                    ("client_secret", api.clientSecret),
                ])
            // check
            #expect(api.token?.count == 43)
            #expect(me.status == .ok)
            #expect(me["username"] as? String == "ana")
            #expect((me["source"] as? [String: Any])?["privacy"] as? String == "public")
            #expect(wrong.status == .badRequest)
            #expect(wrong.error == "invalid_grant")
        }
    }

    @Test func theRightPasswordOfASuspendedAccountIsToldItIsSuspendedAndWhereToAppeal() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let voiceID = try #require(Int64(try await ana.say("#MeToo")["id"] as? String ?? ""))
            _ = try await MastodonClient.signedUp(client, "mod")
            try await chorus.makeModerator("mod")
            try await chorus.withStore { store in
                let moderator = try #require(try await store.account(handle: "mod"))
                try await store.act(try ModerationDecision(action: .suspend, rule: "1", reason: "test"), on: .voice(voiceID), by: moderator.id)
            }
            // act
            let grant = try await ana.post(
                "/oauth/token",
                form: [
                    ("grant_type", "password"), ("username", "ana"), ("password", "correct horse battery"), ("client_id", ana.clientID),
                    ("client_secret", ana.clientSecret),
                ])
            // check
            #expect(grant.status == .badRequest)
            #expect(grant.error == "invalid_grant")
            let description = grant["error_description"] as? String ?? ""
            #expect(description.contains("suspended"))
            #expect(description.contains("appeal"))
            #expect(!description.contains("don't match"))
        }
    }

    @Test func authorizationCodeFlowUsesTheWebSignInAndAConsentPage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana")
            try await browser.post("/signout", [])
            var api = MastodonClient(client)
            try await api.registerApp(scopes: "read write")
            let authorize = "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read+write"
            // act: signed out, the app's link leads to the sign-in form, then back
            let signedOut = try await browser.get(authorize)
            let signIn = try await browser.post(
                "/signin", [("handle", "ana"), ("password", "correct horse battery"), ("next", authorize)])
            let consent = try await browser.get(signIn.location ?? "")
            let forged = try await browser.post(
                "/oauth/authorize", [("client_id", api.clientID), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"), ("decision", "approve")],
                csrf: false)
            let approved = try await browser.post(
                "/oauth/authorize",
                [("client_id", api.clientID), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"), ("scope", "read write"), ("decision", "approve")])
            let code = approved.body.firstMatch(of: /id="authorization-code">([A-Za-z0-9_-]+)</)?.1 ?? ""
            let token = try await api.post(
                "/oauth/token",
                form: [
                    ("grant_type", "authorization_code"), ("code", String(code)), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                    ("client_id", api.clientID), ("client_secret", api.clientSecret),
                ])
            let replayed = try await api.post(
                "/oauth/token",
                form: [
                    ("grant_type", "authorization_code"), ("code", String(code)), ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
                    ("client_id", api.clientID), ("client_secret", api.clientSecret),
                ])
            api.token = token["access_token"] as? String
            let me = try await api.get("/api/v1/accounts/verify_credentials")
            // check
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.location?.hasPrefix("/signin?next=") == true)
            #expect(signIn.location == authorize)
            #expect(consent.status == .ok)
            #expect(consent.body.contains("Test app would like to use your Chorus account"))
            #expect(!consent.body.contains("you will be sent to"), "a code shown here goes nowhere")
            #expect(consent.body.contains("name=\"_csrf\""))
            #expect(forged.status == .forbidden)
            #expect(approved.status == .ok)
            #expect(code.count == 43)
            #expect(token["scope"] as? String == "read write")
            #expect(replayed.status == .badRequest)
            #expect(replayed["error"] as? String == "invalid_grant")
            #expect(me["username"] as? String == "ana")
        }
    }

    @Test func approvingRedirectsToTheAppWithCodeAndStateAndDenyingSaysSo() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana")
            var api = MastodonClient(client)
            try await api.registerApp(scopes: "read", redirect: "https://app.example/callback")
            let fields = [("client_id", api.clientID), ("redirect_uri", "https://app.example/callback"), ("scope", "read"), ("state", "xyz")]
            // act
            let page = try await browser.get(
                "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=read")
            let approved = try await browser.post("/oauth/authorize", fields + [("decision", "approve")])
            let denied = try await browser.post("/oauth/authorize", fields + [("decision", "deny")])
            let elsewhere = try await browser.get(
                "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=https%3A%2F%2Fevil.example%2F&scope=read")
            let tooMuch = try await browser.get(
                "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=write")
            // check
            #expect(page.headers[.contentSecurityPolicy]?.contains("form-action 'self' https://app.example") == true)
            #expect(page.body.contains("After you choose, you will be sent to app.example."), "the page says where the answer goes")
            #expect(approved.status == .seeOther)
            #expect(approved.location?.hasPrefix("https://app.example/callback?code=") == true)
            #expect(approved.location?.hasSuffix("&state=xyz") == true)
            #expect(denied.location == "https://app.example/callback?error=access_denied&state=xyz")
            #expect(elsewhere.status == .unprocessableContent)
            #expect(tooMuch.status == .unprocessableContent)
        }
    }

    /// PKCE: a code asked for with an S256 challenge is redeemed only with its verifier (an app that intercepts the
    /// redirect can't use it); a "plain" challenge is refused.
    @Test func aCodeMadeWithAChallengeNeedsItsVerifier() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana")
            var api = MastodonClient(client)
            try await api.registerApp(scopes: "read", redirect: "https://app.example/callback")
            let verifier = "a-verifier-of-forty-three-characters-or-more-0123456789"
            let challenge = "Z7hJgmr9i3_hBhKi2Qzj1gWgGkQ1f3sbjuPG0MaXV2M"
            let fields = [
                ("client_id", api.clientID), ("redirect_uri", "https://app.example/callback"), ("scope", "read"),
                ("code_challenge", ProofKeyFixture.challenge(verifier)), ("code_challenge_method", "S256"), ("decision", "approve"),
            ]
            func code() async throws -> String {
                let approved = try await browser.post("/oauth/authorize", fields)
                return String(approved.location?.firstMatch(of: /code=([A-Za-z0-9_-]+)/)?.1 ?? "")
            }
            func redeem(_ code: String, verifier: String?, redirect: String? = "https://app.example/callback") async throws -> APIReply {
                var form = [
                    ("grant_type", "authorization_code"), ("code", code), ("client_id", api.clientID), ("client_secret", api.clientSecret),
                ]
                if let redirect { form.append(("redirect_uri", redirect)) }
                if let verifier { form.append(("code_verifier", verifier)) }
                return try await api.post("/oauth/token", form: form)
            }
            // act
            let page = try await browser.get(
                "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=read"
                    + "&code_challenge=\(challenge)&code_challenge_method=S256")
            let plain = try await browser.get(
                "/oauth/authorize?response_type=code&client_id=\(api.clientID)&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=read"
                    + "&code_challenge=\(challenge)&code_challenge_method=plain")
            let withoutVerifier = try await redeem(try await code(), verifier: nil)
            let wrongVerifier = try await redeem(try await code(), verifier: "not-the-verifier-that-made-the-challenge-at-all")
            let rightVerifier = try await redeem(try await code(), verifier: verifier)
            // A code is redeemed with the redirect it was given for; one sent without it can be sent again with it.
            let kept = try await code()
            let withoutRedirect = try await redeem(kept, verifier: verifier, redirect: nil)
            let otherRedirect = try await redeem(try await code(), verifier: verifier, redirect: "https://app.example/elsewhere")
            let keptWithRedirect = try await redeem(kept, verifier: verifier)
            let noMetadataOverHTTP = try await api.get("/.well-known/oauth-authorization-server")
            // check
            #expect(page.body.contains("name=\"code_challenge\" value=\"\(challenge)\""))
            #expect(plain.status == .unprocessableContent)
            #expect(withoutVerifier.status == .badRequest)
            #expect(wrongVerifier.status == .badRequest)
            #expect(rightVerifier.status == .ok)
            #expect(rightVerifier["access_token"] is String)
            #expect(withoutRedirect.status == .badRequest)
            #expect(withoutRedirect["error"] as? String == "invalid_request")
            #expect((withoutRedirect["error_description"] as? String)?.contains("redirect_uri") == true)
            #expect(otherRedirect.status == .badRequest)
            #expect(keptWithRedirect.status == .ok)
            #expect(noMetadataOverHTTP.status == .notFound)
        }
    }

    /// An instance served over https describes its OAuth server (RFC 8414), PKCE's method included.
    @Test func anHTTPSInstanceDescribesItsOAuthServer() async throws {
        // setup
        let app = try await makeApp { $0.publicURL = "https://chorus.example" }
        try await app.test(.live) { client in
            // act
            let metadata = try await MastodonClient(client).get("/.well-known/oauth-authorization-server")
            // check
            #expect(metadata["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect(metadata["token_endpoint"] as? String == "https://chorus.example/oauth/token")
        }
    }

    /// "Bearer" is read in any case and the token without the spaces around it; anything else signs no one in.
    @Test func theAuthorizationHeaderIsReadAsAppsSendIt() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana", scopes: "read")
            let token = ana.token ?? ""
            let anonymous = MastodonClient(client)
            func me(_ header: String) async throws -> APIReply {
                try await anonymous.get("/api/v1/accounts/verify_credentials", headers: [.authorization: header])
            }
            // act
            let usual = try await me("Bearer \(token)")
            let shouting = try await me("BEARER  \(token) ")
            let lower = try await me("bearer \(token)")
            let schemeAlone = try await me("Bearer")
            let otherScheme = try await me("Basic \(token)")
            let joined = try await me("Bearer\(token)")
            // check
            for reply in [usual, shouting, lower] {
                #expect(reply.status == .ok)
                #expect(reply["username"] as? String == "ana")
            }
            for reply in [schemeAlone, otherScheme, joined] { #expect(reply.status == .unauthorized) }
        }
    }

    @Test func scopesAreHonouredAndRevokedTokensStopWorking() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let reader = try await MastodonClient.signedUp(client, "ana", scopes: "read")
            let granular = try await MastodonClient.signedUp(client, "bea", scopes: "read:statuses write:statuses")
            var appOnly = MastodonClient(client)
            try await appOnly.registerApp()
            let credentials = try await appOnly.post(
                "/oauth/token",
                form: [("grant_type", "client_credentials"), ("client_id", appOnly.clientID), ("client_secret", appOnly.clientSecret)])
            appOnly.token = credentials["access_token"] as? String
            // act
            let readOnlyPost = try await reader.say("#MeToo")
            let readOnlyHome = try await reader.get("/api/v1/timelines/home")
            let granularPost = try await granular.say("#MeToo")
            let granularNotifications = try await granular.get("/api/v1/notifications")
            let appOnlyHome = try await appOnly.get("/api/v1/timelines/home")
            let appOnlyPublic = try await appOnly.get("/api/v1/timelines/public")
            let appCredentials = try await appOnly.get("/api/v1/apps/verify_credentials")
            let noToken = try await MastodonClient(client).get("/api/v1/timelines/home")
            let forged = try await MastodonClient(client, token: "forged").get("/api/v1/timelines/public")
            let revoke = try await reader.post(
                "/oauth/revoke", form: [("client_id", reader.clientID), ("client_secret", reader.clientSecret), ("token", reader.token ?? "")])
            let afterRevoke = try await reader.get("/api/v1/accounts/verify_credentials")
            // check
            #expect(readOnlyPost.status == .forbidden)
            #expect(readOnlyPost.error.contains("write:statuses"))
            #expect(readOnlyHome.status == .ok)
            #expect(granularPost.status == .ok)
            #expect(granularNotifications.status == .forbidden)
            #expect(credentials["scope"] as? String == "read")
            #expect(appOnlyHome.status == .unauthorized)
            #expect(appOnlyPublic.status == .ok)
            #expect(appCredentials["name"] as? String == "Test app")
            #expect(noToken.status == .unauthorized)
            #expect(forged.status == .unauthorized)
            #expect(revoke.status == .ok)
            #expect(afterRevoke.status == .unauthorized)
        }
    }

    @Test func changingThePasswordSignsAppsOut() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let api = try await MastodonClient.signedUp(client, "ana")
            var browser = Browser(client)
            try await browser.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            // act
            let before = try await api.get("/api/v1/accounts/verify_credentials")
            let changed = try await browser.post(
                "/account/password", [("current_password", "correct horse battery"), ("new_password", "a new long password")])
            let after = try await api.get("/api/v1/accounts/verify_credentials")
            // check
            #expect(before.status == .ok)
            #expect(changed.status.code < 400)
            #expect(after.status == .unauthorized)
        }
    }

    /// A person sees the apps connected to their account in their settings and can disconnect one; the others go on.
    @Test func aPersonDisconnectsOneAppFromTheirSettings() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let phone = try await MastodonClient.signedUp(client, "ana")
            var laptop = MastodonClient(client)
            try await laptop.registerApp()
            let token = try await laptop.post(
                "/oauth/token",
                form: [
                    ("grant_type", "password"), ("username", "ana"), ("password", "correct horse battery"), ("client_id", laptop.clientID),
                    ("client_secret", laptop.clientSecret), ("scope", "read write follow push"),
                ])
            laptop.token = token["access_token"] as? String
            var ana = Browser(client)
            _ = try await ana.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let settings = try await ana.get("/account")
            let appID = try #require(Browser.id(after: "/account/apps/", in: settings.body))
            // act
            let disconnected = try await ana.post("/account/apps/\(appID)/disconnect", [])
            let again = try await ana.post("/account/apps/\(appID)/disconnect", [])
            let phoneReads = try await phone.get("/api/v1/accounts/verify_credentials")
            let laptopReads = try await laptop.get("/api/v1/accounts/verify_credentials")
            // check
            #expect(settings.body.contains("Apps connected to your account"))
            #expect(settings.body.contains("value=\"erase_anonymous_later\""), "the delete form offers to erase anonymous voices later")
            #expect(settings.body.components(separatedBy: "/disconnect\"").count - 1 == 2)
            #expect(disconnected.status == .ok)
            #expect(disconnected.body.contains("The app was disconnected."))
            #expect(again.status == .notFound)
            // The newest connection is listed first: the laptop's.
            #expect(laptopReads.status == .unauthorized)
            #expect(phoneReads.status == .ok)
        }
    }

    @Test func theWebSessionCookieNeverAuthenticatesTheAPI() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana")
            // act
            let me = try await browser.get("/api/v1/accounts/verify_credentials")
            let post = try await browser.postRaw("/api/v1/statuses", "status=%23MeToo")
            // check
            #expect(me.status == .unauthorized)
            #expect(post.status == .unauthorized)
        }
    }

    @Test func badAppRegistrationsAndGrantsGetClearErrors() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let api = MastodonClient(client)
            // act
            let noName = try await api.post("/api/v1/apps", form: [("redirect_uris", "urn:ietf:wg:oauth:2.0:oob")])
            let badScope = try await api.post("/api/v1/apps", form: [("client_name", "x"), ("scopes", "read everything")])
            let badRedirect = try await api.post("/api/v1/apps", form: [("client_name", "x"), ("redirect_uris", "not a uri")])
            var refusedRedirects: [HTTPResponse.Status] = []
            for uri in [
                "JavaScript:alert(1)//", "DATA:text/html,x", "https://x.example%3B%20frame-ancestors%20*/cb", "file:///etc/passwd",
                "view-source:https://x.example", "https://x.example:99999/cb",
            ] {
                refusedRedirects.append(try await api.post("/api/v1/apps", form: [("client_name", "x"), ("redirect_uris", uri)]).status)
            }
            let appScheme = try await api.post("/api/v1/apps", form: [("client_name", "x"), ("redirect_uris", "toot://callback")])
            let internationalHost = try await api.post(
                "/api/v1/apps", form: [("client_name", "x"), ("redirect_uris", "https://xn--bcher-kva.example/cb")])
            let json = try await api.post("/api/v1/apps", json: #"{"client_name": "json app", "redirect_uris": ["urn:ietf:wg:oauth:2.0:oob"]}"#)
            let badClient = try await api.post(
                "/oauth/token", form: [("grant_type", "password"), ("client_id", "nope"), ("client_secret", "nope")])
            let badGrant = try await api.post(
                "/oauth/token",
                form: [
                    ("grant_type", "refresh_token"), ("client_id", json["client_id"] as? String ?? ""),
                    ("client_secret", json["client_secret"] as? String ?? ""),
                ])
            // check
            #expect(noName.status == .unprocessableContent)
            #expect(noName.error.contains("client_name"))
            #expect(badScope.status == .unprocessableContent)
            #expect(badRedirect.status == .unprocessableContent)
            #expect(refusedRedirects == Array(repeating: .unprocessableContent, count: 6))
            #expect(appScheme.status == .ok)
            #expect(internationalHost.status == .ok)
            #expect(json.status == .ok)
            #expect(json["scopes"] as? [String] == ["read"])
            #expect(badClient.status == .unauthorized)
            #expect(badClient.error == "invalid_client")
            #expect(badGrant.error == "unsupported_grant_type")
        }
    }
}

/// An S256 challenge computed the way RFC 7636 says, apart from the code under test.
enum ProofKeyFixture {
    static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
