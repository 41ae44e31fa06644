import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import ChorusWeb

/// Safety on shared devices: strict headers, the quick exit everywhere, CSRF on every form, cookies that stay on this site,
/// and rate limits that key on a daily-rotating in-memory fingerprint, never on an address.
@Suite struct SafetyTests {
    static let pages = [
        "/", "/voices", "/pledges", "/say", "/help", "/help/safety", "/signin", "/signup", "/account", "/journal", "/tags/metoo", "/@ana",
        "/no-such-page", "/moderation/resources", "/moderation/crisis",
    ]

    @Test func everyPageHasStrictHeadersAndNothingFromOtherSites() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUpModerator("ana", store: setup.store)
            let (_, id) = try await ana.sayMeToo("It was a teacher. #MeToo")
            for path in Self.pages + ["/voices/\(id ?? "")", "/static/chorus.css", "/static/exit.js"] {
                // act
                let page = try await ana.get(path)
                // check
                let policy = page.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("script-src 'self'"), "\(path)")
                #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
                #expect(!policy.contains("unsafe-inline"), "\(path)")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(path)")
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
                for tag in page.body.matches(of: /<(script|link|img|iframe|source|video|audio|object|embed)\b[^>]*>/) {
                    #expect(!tag.output.0.contains("//"), "\(path): \(tag.output.0)")
                }
                #expect(!page.body.contains("<script>"), "\(path): inline script")
                #expect(!page.body.contains("style=\""), "\(path): inline style")
            }
        }
        await setup.store.shutdown()
    }

    @Test func quickExitIsOnEveryPageIncludingErrorsAndHelp() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            for path in Self.pages {
                // act
                let page = try await ana.get(path)
                // check
                #expect(page.body.contains("id=\"quick-exit\""), "\(path)")
                #expect(page.body.contains("<script src=\"/static/exit.js\" defer></script>"), "\(path)")
                #expect(page.body.contains("data-exit-url=\"https://www.bbc.com/weather\""), "\(path)")
                #expect(page.body.contains("href=\"/help/safety#history\""), "\(path)")
            }
            let script = try await ana.get("/static/exit.js")
            #expect(script.body.contains("location.replace"))
            #expect(script.body.contains("Escape"))
            #expect(script.body.contains("isComposing"), "Esc that cancels a word being composed is not an exit")
        }
        await setup.store.shutdown()
    }

    @Test func everyFormCarriesTheCsrfTokenAndFormsWithoutItAreRefused() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUpModerator("ana", store: setup.store)
            let (_, id) = try await ana.sayMeToo("It was a teacher. #MeToo")
            var forms = 0
            for path in Self.pages + ["/voices/\(id ?? "")", "/moderation/resources/US/0", "/moderation/resources/new", "/recover"] {
                // act
                let page = try await ana.get(path)
                // check
                for form in Browser.postForms(in: page.body) {
                    forms += 1
                    #expect(form.contains("name=\"_csrf\" value=\"\(ana.cookies["chorus_csrf"] ?? "-")\""), "\(path): \(form.prefix(120))")
                }
            }
            #expect(forms > 20)
            var stranger = Browser(client)
            try await stranger.get("/")
            for path in ["/help/country", "/language", "/say", "/signin", "/moderation/resources/US/0/delete"] {
                let refused = try await stranger.post(path, [("country", "GB"), ("lang", "fr"), ("_csrf", "forged")], csrf: false)
                #expect(refused.status == .forbidden, "\(path)")
            }
            #expect(stranger.cookies["chorus_country"] == nil)
        }
        await setup.store.shutdown()
    }

    @Test func cookiesAreHttpOnlyLaxAndSecureWhenServedOverTLS() async throws {
        // setup
        let tls = try await makeAppWithStore { $0.publicURL = "https://chorus.example" }
        let plain = try await makeAppWithStore()
        // act
        let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
        let (secureCookies, strictTransport, sharedFile) = try await tls.app.test(.live) { client -> ([String], String?, String?) in
            var ana = Browser(client)
            let home = try await ana.get("/")
            var cookies = home.headers[values: .setCookie]
            let exitScript = try await client.execute(uri: "/static/exit.js", method: .get)
            cookies += try await ana.post("/help/country", [("country", "GB")]).headers[values: .setCookie]
            cookies += try await ana.signUp("ana").headers[values: .setCookie]
            cookies += try await ana.post("/language", [("lang", "es"), ("back", "/")]).headers[values: .setCookie]
            return (cookies, home.headers[strictTransportSecurity], exitScript.headers[.setCookie])
        }
        let (plainCookies, plainTransport) = try await plain.app.test(.live) { client -> ([String], String?) in
            var ana = Browser(client)
            let home = try await ana.get("/")
            let signedUp = try await ana.signUp("ana")
            return (home.headers[values: .setCookie] + signedUp.headers[values: .setCookie], home.headers[strictTransportSecurity])
        }
        // check
        // Over https, browsers are told to use nothing else; a file any cache may share sets nobody's token.
        #expect(strictTransport == "max-age=31536000")
        #expect(plainTransport == nil)
        #expect(sharedFile == nil)
        #expect(secureCookies.count >= 4)
        for cookie in secureCookies {
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"), "\(cookie)")
        }
        for name in ["chorus_csrf", "chorus_session", "chorus_country", "chorus_lang"] {
            #expect(secureCookies.contains { $0.hasPrefix(name + "=") }, "\(name)")
        }
        for cookie in plainCookies {
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"), "\(cookie)")
        }
        await tls.store.shutdown()
        await plain.store.shutdown()
    }

    @Test func signInsSignUpsAndPostsAreLimitedWithACalmMessageAndRetryAfter() async throws {
        // setup
        let setup = try await makeAppWithStore {
            $0.rateLimits = RateLimits(signIn: .init(3, per: 300), signUp: .init(2, per: 3600), posting: .init(2, per: 600))
        }
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            var signIns: [Browser.Page] = []
            for _ in 0..<4 {
                var guesser = Browser(client)
                signIns.append(try await guesser.post("/signin", [("handle", "ana"), ("password", "wrong password")]))
            }
            var bea = Browser(client)
            let secondSignUp = try await bea.signUp("bea")
            var cat = Browser(client)
            let thirdSignUp = try await cat.signUp("cat")
            let posts = [try await ana.sayMeToo().0, try await ana.sayMeToo().0, try await ana.sayMeToo().0]
            // check
            #expect(signIns.prefix(3).allSatisfy { $0.status == .unauthorized })
            #expect(signIns[3].status == .tooManyRequests)
            let wait = Int(signIns[3].headers[.retryAfter] ?? "") ?? 0
            #expect((1...300).contains(wait))
            #expect(signIns[3].body.contains("Please wait about"))
            #expect(signIns[3].body.contains("id=\"quick-exit\""))
            #expect(secondSignUp.status == .created)
            #expect(thirdSignUp.status == .tooManyRequests)
            #expect(thirdSignUp.headers[.retryAfter] != nil)
            #expect(posts.map(\.status) == [.created, .created, .tooManyRequests])
            #expect(posts[2].body.contains("your words are not lost"))
        }
        await setup.store.shutdown()
    }

    @Test func rateLimitWindowsEndAndFingerprintsChangeEveryDay() {
        // setup
        let now = FakeClock()
        let limiter = RateLimiter(limits: RateLimits(signIn: .init(2, per: 60), signUp: nil, posting: nil)) { now.date }
        let fingerprints = AddressFingerprint { now.date }
        let before = fingerprints.fingerprint(ipAddress: "127.0.0.1")
        // act
        let first = limiter.attempt(.signIn, client: "a")
        let second = limiter.attempt(.signIn, client: "a")
        let third = limiter.attempt(.signIn, client: "a")
        let otherClient = limiter.attempt(.signIn, client: "b")
        let unlimited = limiter.attempt(.signUp, client: "a")
        now.advance(61)
        let afterWindow = limiter.attempt(.signIn, client: "a")
        let sameDay = fingerprints.fingerprint(ipAddress: "127.0.0.1")
        now.advance(86_400)
        let nextDay = fingerprints.fingerprint(ipAddress: "127.0.0.1")
        // check
        #expect(first == nil && second == nil)
        #expect(third.map { (1...60).contains($0) } == true)
        #expect(otherClient == nil && unlimited == nil && afterWindow == nil)
        #expect(before == sameDay)
        #expect(before != nextDay)
        #expect(before.count == 64)
        #expect(fingerprints.fingerprint(ipAddress: "127.0.0.1") != fingerprints.fingerprint(ipAddress: "127.0.0.2"))
        #expect(
            RateLimits.parse("signin=10/300,posting=off")
                == RateLimits(signIn: .init(10, per: 300), signUp: RateLimits.standard.signUp, posting: nil, api: RateLimits.standard.api)
        )
        #expect(RateLimits.parse("signin=ten") == nil)
        #expect(RateLimits.parse("off") == .off)
    }
}

/// A clock tests move by hand.
final class FakeClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
    var date: Date { now.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
}
