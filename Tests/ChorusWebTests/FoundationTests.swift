import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A survivor, a supporter and an ally using Chorus in a browser, through a real socket.
@Suite struct FoundationTests {
    @Test func homePageShowsTheThreeCountsAndActions() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let home = try await browser.get("/")
            // check
            #expect(home.status == .ok)
            #expect(home.body.contains("people said me too"))
            #expect(home.body.contains("href=\"/say\""))
            #expect(home.body.contains("href=\"/pledges\""))
            #expect(home.body.contains("class=\"skip-link\""))
            #expect(home.body.contains("id=\"quick-exit\""))
        }
    }

    /// HEAD answers as GET does, without a body: uptime monitors and `curl -I` found every page missing.
    @Test func headAnswersAsGetWithoutABody() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            // act
            let home = try await client.execute(uri: "/", method: .head)
            let api = try await client.execute(uri: "/api/v1/instance", method: .head)
            let missing = try await client.execute(uri: "/no-such-page", method: .head)
            // check
            #expect(home.status == .ok)
            #expect(home.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(home.body.readableBytes == 0)
            #expect(api.status == .ok)
            #expect(missing.status == .notFound)
        }
    }

    @Test func signUpNeedsOnlyAHandleAndPasswordAndGivesRecoveryCodes() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let page = try await browser.signUp("ana_m")
            // check
            #expect(page.status == .created)
            #expect(page.body.contains("Recovery codes"))
            #expect(page.body.matches(of: /<code>[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}<\/code>/).count == 8)
            #expect(browser.cookies["chorus_session"] != nil)
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test func takenHandleWrongPasswordAndForgedSessionGetClearMessages() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var first = Browser(client)
            try await first.signUp("ana")
            var second = Browser(client)
            // act
            let taken = try await second.signUp("ANA")
            let wrong = try await second.post("/signin", [("handle", "ana"), ("password", "not the password")])
            second.cookies["chorus_session"] = "forged"
            let forged = try await second.get("/say")
            let short = try await second.signUp("bea", password: "short")
            // check
            #expect(taken.status == .conflict)
            #expect(taken.body.contains("is taken"))
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("don&#39;t match"))
            #expect(forged.status == .seeOther)
            #expect(forged.location?.hasPrefix("/signin") == true)
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("at least 8 characters"))
            // The field the error is about is marked for screen readers, and described by the error; the others are not.
            #expect(short.body.contains("id=\"form-error\""))
            #expect(short.body.contains("aria-describedby=\"form-error password-hint\" aria-invalid=\"true\""))
            #expect(!short.body.contains("aria-describedby=\"form-error handle-hint\""))
            #expect(short.body.components(separatedBy: "aria-invalid").count == 2)
        }
    }

    @Test func theSignUpFormSentTwiceSaysTheAccountWasMadeNotThatTheHandleIsTaken() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            let first = try await browser.signUp("ana_double")
            // act
            let again = try await browser.signUp("Ana_Double")
            // check
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(again.body.contains("was made the first time you sent the form"))
            #expect(again.body.contains("href=\"/account\""))
            #expect(!again.body.contains("is taken"))
        }
    }

    @Test func aFormWithAnErrorKeepsThePrivacyChoicesMadeAndEveryPageNamesTheInstance() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana_keeps")
            let tooLong = String(repeating: "a", count: 5_001)
            // act
            let say = try await ana.post("/say", [("text", tooLong), ("visibility", "anonymous"), ("reply_policy", "nobody")])
            let pledge = try await ana.post("/pledges", [("text", ""), ("visibility", "anonymous")])
            let help = try await ana.get("/help")
            let settings = try await ana.post(
                "/account/settings",
                [("display_name", String(repeating: "n", count: 61)), ("language", "fr"), ("country", "BR"), ("default_reply_policy", "nobody")])
            // check
            #expect(say.status == .unprocessableContent)
            #expect(say.body.contains("value=\"anonymous\" checked"))
            #expect(say.body.contains("<option value=\"nobody\" selected"))
            #expect(pledge.status == .unprocessableContent)
            #expect(pledge.body.contains("value=\"anonymous\" checked"))
            #expect(!pledge.body.contains("value=\"public\" checked"))
            #expect(help.body.contains(" · Chorus</title>"))
            #expect(settings.status == .unprocessableContent)
            #expect(settings.body.contains("<option value=\"nobody\" selected"))
            #expect(settings.body.contains("<option value=\"fr\" selected"))
            #expect(settings.body.contains("<option value=\"BR\" selected"))
        }
    }

    @Test func aPageAskedForWithAQueryComesBackWithItAfterSigningIn() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var visitor = Browser(client)
            try await visitor.signUp("ana_query")
            try await visitor.post("/signout", [])
            // act
            let asked = try await visitor.get("/say?visibility=anonymous")
            let signIn = try await visitor.post(
                "/signin", [("handle", "ana_query"), ("password", "correct horse battery"), ("next", "/say?visibility=anonymous")])
            // check
            #expect(asked.status == .seeOther)
            #expect(asked.location == "/signin?next=%2Fsay%3Fvisibility%3Danonymous")
            #expect(signIn.location == "/say?visibility=anonymous")
        }
    }

    /// After signing in, or choosing a language, a person goes back to a page of this site: never to another one,
    /// whatever `next` holds (browsers drop tabs and line breaks from addresses, so `/<tab>/host` is `//host`).
    @Test func signingInNeverSendsSomeoneToAnotherSite() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var visitor = Browser(client)
            try await visitor.signUp("ana_next")
            try await visitor.post("/signout", [])
            var places: [String?] = []
            // act
            for next in ["/\t/evil.example", "//evil.example", "/\\evil.example", "/\n/evil.example", "https://evil.example"] {
                let signIn = try await visitor.post("/signin", [("handle", "ana_next"), ("password", "correct horse battery"), ("next", next)])
                places.append(signIn.location)
                try await visitor.post("/signout", [])
            }
            let language = try await visitor.post("/language", [("lang", "es"), ("back", "/\t/evil.example")])
            // check
            #expect(places == Array(repeating: "/", count: 5))
            #expect(language.location == "/")
        }
    }

    @Test func signOutSignInAndChangePassword() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana")
            // act
            try await browser.post("/signout", [])
            let signedOut = try await browser.get("/account")
            let signIn = try await browser.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            var laptop = Browser(client)
            try await laptop.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let changed = try await browser.post(
                "/account/password", [("current_password", "correct horse battery"), ("new_password", "a new long password")]
            )
            let stillHere = try await browser.get("/account")
            let laptopAfter = try await laptop.get("/account")
            try await browser.post("/signout", [])
            let oldFails = try await browser.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let newWorks = try await browser.post("/signin", [("handle", "ana"), ("password", "a new long password")])
            // check
            #expect(signedOut.status == .seeOther)
            #expect(signIn.status == .seeOther)
            #expect(changed.body.contains("password has been changed"))
            #expect(stillHere.status == .ok)  // the browser it was changed in stays signed in, as the page says
            #expect(laptopAfter.status == .seeOther)
            #expect(oldFails.status == .unauthorized)
            #expect(newWorks.status == .seeOther)
        }
    }

    @Test func recoveryCodeSetsANewPasswordOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            let codesPage = try await browser.signUp("ana")
            let code = String(codesPage.body.firstMatch(of: /<code>([a-z0-9-]+)<\/code>/)!.1)
            try await browser.post("/signout", [])
            // act
            let recovered = try await browser.post("/recover", [("handle", "ana"), ("code", code.uppercased()), ("password", "brand new password")])
            try await browser.post("/signout", [])
            let reused = try await browser.post("/recover", [("handle", "ana"), ("code", code), ("password", "another password")])
            let signIn = try await browser.post("/signin", [("handle", "ana"), ("password", "brand new password")])
            // check
            #expect(recovered.status == .ok)
            #expect(recovered.body.contains("7 recovery codes left"))
            #expect(reused.status == .unauthorized)
            #expect(signIn.status == .seeOther)
        }
    }

    @Test func sayingMeTooWithOneTapTellsThePersonTheyAreNotAlone() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let (first, _) = try await ana.sayMeToo()
            let (second, _) = try await bea.sayMeToo("It was my manager. #MeToo", warning: "workplace harassment", visibility: "anonymous")
            let home = try await {
                var visitor = Browser(client); return try await visitor.get("/")
            }()
            // check
            #expect(first.status == .created)
            #expect(second.body.contains("You are not alone. Others have said me too here"))  // fewer than 10: no exact total
            #expect(home.body.contains("data-count=\"metoo\">fewer than 10<"))
            #expect(home.body.contains("workplace harassment"))
            #expect(!home.body.contains("bea"))
        }
    }

    @Test func storyOverTheLimitAndUnknownVisibilityAreRefusedAndNothingIsStored() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let long = try await ana.post("/say", [("text", String(repeating: "a", count: 5_001)), ("visibility", "public")])
            let odd = try await ana.post("/say", [("text", "hello"), ("visibility", "friends")])
            let twice = try await ana.post("/say", [("text", "one"), ("text", "two"), ("visibility", "public")])
            let home = try await ana.get("/")
            // check
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("the limit is 5000"))
            #expect(long.body.contains("aaaa"))
            #expect(odd.status == .unprocessableContent)
            #expect(odd.body.contains("Choose who can see this"))
            #expect(twice.status == .unprocessableContent)
            #expect(home.body.contains("data-count=\"metoo\">fewer than 10<"))
        }
    }

    @Test func formWithoutTheBrowsersCSRFTokenIsRefused() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let missing = try await ana.post("/say", [("text", "x"), ("visibility", "public")], csrf: false)
            let forged = try await ana.post("/say", [("text", "x"), ("visibility", "public"), ("_csrf", "forged")], csrf: false)
            // check
            #expect(missing.status == .forbidden)
            #expect(forged.status == .forbidden)
            #expect(forged.body.contains("reload the page"))
        }
    }
}
