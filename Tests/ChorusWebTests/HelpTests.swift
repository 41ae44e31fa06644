import ChorusCore
import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Help for the reader's country: chosen by them (cookie or account), else from their browser's language, never from their address.
@Suite struct HelpTests {
    @Test func helpPageShowsTheHotlinesOfTheBrowsersCountry() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let mexico = try await browser.get("/help", headers: [.acceptLanguage: "es-MX,es;q=0.9"])
            let germany = try await browser.get("/help", headers: [.acceptLanguage: "de"])
            // check
            #expect(mexico.status == .ok)
            #expect(mexico.body.contains("Línea SOS Mujeres"))
            #expect(mexico.body.contains("href=\"tel:911\""))
            #expect(mexico.body.contains("href=\"tel:*765\""))
            #expect(mexico.body.contains("lang=\"es\""))
            #expect(germany.body.contains("Hilfetelefon Gewalt gegen Frauen"))
            #expect(germany.body.contains("href=\"tel:116016\""))
            #expect(germany.body.contains("Hilfe finden"))
        }
    }

    /// In the reader's language: the name of their country, the instance's default rules, and a line's hours; and a
    /// line that is not open day and night is not called one you can reach "any time".
    @Test func countriesRulesAndHoursAreInTheReadersLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            try await browser.signUp("ana_pt")
            // act
            let help = try await browser.get("/help", headers: [.acceptLanguage: "de"])
            let rules = try await browser.get("/rules", headers: [.acceptLanguage: "es"])
            browser.extraHeaders = [.acceptLanguage: "pt"]
            let said = try await browser.post(
                "/say",
                [("text", "quero acabar com a minha vida hoje à noite"), ("visibility", "only_me"), ("reply_policy", "everyone"), ("country", "PT")])
            // check
            #expect(help.body.contains("Deutschland"))
            #expect(!help.body.contains("Germany"))
            #expect(rules.body.contains("Nada de spam ni publicidad."))
            #expect(!rules.body.contains("No spam or advertising."))
            #expect(said.body.contains("class=\"crisis-panel\""))
            #expect(said.body.contains("Veja o site"))
            #expect(!said.body.contains("See website"))
            #expect(!said.body.contains("a qualquer hora:</p>") && !said.body.contains("a qualquer hora: <strong>APAV"))
        }
    }

    @Test func everyResourceShowsItsWaysToReachHoursLanguagesAndSource() async throws {
        // setup
        let app = try await makeApp()
        let us = ResourceDirectory.bundled.help(for: "US")
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let page = try await browser.get("/help", headers: [.acceptLanguage: "en-US"])
            // check
            for resource in us.resources {
                #expect(page.body.contains(htmlEscaped(resource.name)))
                if let dialable = resource.dialable { #expect(page.body.contains("href=\"tel:\(dialable)\"")) }
                if let text = resource.text { #expect(page.body.contains(text)) }
                if let chat = resource.chat { #expect(page.body.contains("href=\"\(chat)\"")) }
                #expect(page.body.contains("href=\"\(resource.source)\""))
            }
            #expect(page.body.contains("24/7"))
            #expect(page.body.contains("English, Español"))
            #expect(page.body.contains("href=\"tel:911\""))
        }
    }

    @Test func theNetworkAddressNeverChoosesTheCountry() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act: proxy headers that would place the reader in Britain, and no language preference
            let page = try await browser.get(
                "/help",
                headers: [HTTPField.Name("X-Forwarded-For")!: "81.2.69.160", HTTPField.Name("Forwarded")!: "for=81.2.69.160", .acceptLanguage: "*"])
            // check: the international entry, not Britain's
            #expect(page.body.contains("Find A Helpline"))
            #expect(!page.body.contains("Samaritans"))
            #expect(!page.body.contains("tel:999"))
        }
    }

    @Test func aChosenCountryIsRememberedInACookieOverTheBrowserLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let chosen = try await browser.post("/help/country", [("country", "GB")])
            let page = try await browser.get("/help", headers: [.acceptLanguage: "fr-FR"])
            let unknown = try await browser.post("/help/country", [("country", "ZZ")])
            // check
            #expect(chosen.status == .seeOther)
            #expect(
                chosen.headers[values: .setCookie].contains {
                    $0.hasPrefix("chorus_country=GB") && $0.contains("HttpOnly") && $0.contains("SameSite=Lax")
                })
            #expect(browser.cookies["chorus_country"] == "GB")
            #expect(page.body.contains("Samaritans"))
            #expect(page.body.contains("href=\"tel:999\""))
            #expect(!page.body.contains("3919"))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("choose a country from the list") || unknown.body.contains("Choisissez un pays"))
        }
    }

    @Test func aSignedInPersonsCountryIsTheirAccountSettingOnAnyDevice() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var phone = Browser(client)
            try await phone.signUp("ana")
            // act
            let saved = try await phone.post(
                "/account/settings", [("display_name", "Ana"), ("language", ""), ("country", "BR"), ("default_reply_policy", "everyone")])
            var laptop = Browser(client)
            try await laptop.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let help = try await laptop.get("/help", headers: [.acceptLanguage: "en-US"])
            let settings = try await laptop.get("/account")
            try await laptop.post("/help/country", [("country", "PT")])
            let afterChoice = try await phone.get("/help")
            // check
            #expect(saved.status == .seeOther)
            #expect(help.body.contains("Ligue 180"))
            #expect(help.body.contains("href=\"tel:190\""))
            #expect(settings.body.contains("<option value=\"BR\" selected>"))
            #expect(laptop.cookies["chorus_country"] == nil)
            #expect(afterChoice.body.contains("APAV"))
        }
    }

    @Test func meTooShowsACompactSupportLineForTheReadersCountry() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/help/country", [("country", "FR")])
            // act
            let (said, id) = try await ana.sayMeToo("It happened at work. #MeToo")
            var reader = Browser(client)
            let thread = try await reader.get("/voices/\(id ?? "")", headers: [.acceptLanguage: "en-US"])
            // check
            #expect(said.body.contains("class=\"support-line\""))
            #expect(said.body.contains("3919"))
            #expect(thread.body.contains("class=\"support-line\""))
            #expect(thread.body.contains("href=\"tel:8006564673\""))
            #expect(!said.body.contains("crisis-panel"))
        }
    }

    @Test func aMeTooThatSoundsLikeDangerShowsItsWriterTheEmergencyNumberAtOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/help/country", [("country", "ES")])
            // act
            let (said, id) = try await ana.sayMeToo("he is outside my door right now", visibility: "anonymous")
            let (warned, _) = try await ana.sayMeToo("what happened, in my words", warning: "he is outside my door right now")
            // check: posted, and the panel with Spain's emergency number, first hotline and suicide line
            #expect(warned.body.contains("class=\"crisis-panel\""), "danger written in the content warning is read too")
            #expect(said.status == .created)
            #expect(id != nil)
            #expect(said.body.contains("class=\"crisis-panel\""))
            #expect(said.body.contains("href=\"tel:112\""))
            #expect(said.body.contains("href=\"tel:016\""))
            #expect(said.body.contains("If you are thinking of harming yourself:"))
            #expect(said.body.contains("href=\"tel:024\""))
        }
    }

    /// The country given on the form for this *me too* comes before any setting or guess from the browser's language.
    @Test func aMeTooInDangerShowsTheHelpOfTheCountryJustGiven() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let said = try await ana.post(
                "/say",
                [("text", "ele está na minha porta agora mesmo"), ("visibility", "anonymous"), ("reply_policy", "everyone"), ("country", "BR")])
            let help = try await ana.get("/help?country=BR", headers: [.acceptLanguage: "en-US"])
            let unknown = try await ana.get("/help?country=ZZ", headers: [.acceptLanguage: "en-US"])
            // check
            #expect(said.status == .created)
            #expect(said.body.contains("class=\"crisis-panel\""))
            #expect(said.body.contains("href=\"tel:190\""))
            #expect(!said.body.contains("href=\"tel:911\""))
            #expect(said.body.contains("href=\"/help?country=BR\""))
            // One country's numbers on the page: the support line follows the country given, not the browser's guess.
            #expect(said.body.contains("<a href=\"/help?country=BR\">Ligue 180"))
            #expect(!said.body.contains("tel:8006564673"))
            #expect(help.body.contains("href=\"tel:190\""))
            #expect(unknown.body.contains("href=\"tel:911\""))
        }
    }

    /// Refused (too many posts, too long, or a thread that takes no replies), words that speak of danger still bring
    /// help at once, and stay in the form.
    @Test func aRefusedTextThatSoundsLikeDangerStillShowsHelp() async throws {
        // setup
        let app = try await makeApp { $0.postingLimit = 1 }
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, first) = try await ana.sayMeToo("me too")
            try await ana.post("/voices/\(first ?? "")/reply-policy", [("reply_policy", "nobody")])
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let limited = try await ana.post(
                "/say", [("text", "he is outside my door right now"), ("visibility", "anonymous"), ("reply_policy", "everyone"), ("country", "BR")])
            let calm = try await ana.post("/say", [("text", "a quiet day"), ("visibility", "anonymous"), ("reply_policy", "everyone")])
            let refusedReply = try await bea.post("/voices/\(first ?? "")/reply", [("text", "I can't go on, I have the pills here")])
            // check
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.body.contains("class=\"crisis-panel\""))
            #expect(limited.body.contains("href=\"tel:190\""))
            #expect(limited.body.contains("he is outside my door right now</textarea>"))
            #expect(calm.status == .tooManyRequests)
            #expect(!calm.body.contains("class=\"crisis-panel\""))
            #expect(refusedReply.status == .unprocessableContent)
            #expect(refusedReply.body.contains("class=\"crisis-panel\""))
        }
    }

    /// A pledge can show danger too: its writer is taken to it, with the help, as after a reply.
    @Test func aPledgeThatSoundsLikeDangerShowsItsWriterHelp() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            let pledged = try await ana.post("/pledges", [("text", "#IWill stand with you. I am going to end it tonight"), ("visibility", "public")])
            let page = try await ana.get(pledged.location ?? "/")
            let calm = try await ana.post("/pledges", [("text", "I will listen and believe."), ("visibility", "public")])
            // check
            #expect(pledged.status == .seeOther)
            #expect(pledged.location?.hasPrefix("/voices/") == true)
            #expect(page.body.contains("class=\"crisis-panel\""))
            #expect(calm.location == "/pledges?pledged=1")
        }
    }

    @Test func aReplyThatSoundsLikeDangerShowsItsWriterHelpOnTheThread() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, id) = try await ana.sayMeToo("It was my coach. #MeToo")
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let replied = try await bea.post("/voices/\(id ?? "")/reply", [("text", "I can't go on, I have the pills here")])
            let thread = try await bea.get(replied.location ?? "/", headers: [.acceptLanguage: "en-GB"])
            let othersView = try await ana.get(replied.location ?? "/", headers: [.acceptLanguage: "en-GB"])
            // check
            #expect(replied.status == .seeOther)
            #expect(thread.body.contains("class=\"crisis-panel\""))
            #expect(thread.body.contains("href=\"tel:999\""))
            #expect(thread.body.contains("Rape Crisis"))
            #expect(!othersView.body.contains("class=\"crisis-panel\""))
        }
    }

    @Test func moderatorsSeeFlaggedVoicesButNeverWhoWroteAnAnonymousOne() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana_writer")
            try await ana.sayMeToo("i'm going to kill myself tonight", visibility: "anonymous")
            try await ana.sayMeToo("I'm scared he will hurt me tonight", visibility: "public")
            try await ana.sayMeToo("It was years ago. #MeToo")
            var moderator = Browser(client)
            try await moderator.signUpModerator("mod", store: setup.store)
            var someone = Browser(client)
            try await someone.signUp("someone_else")
            // act
            let list = try await moderator.get("/moderation/crisis")
            let refused = try await someone.get("/moderation/crisis")
            // check
            #expect(list.status == .ok)
            let anonymousAt = try #require(list.body.range(of: "kill myself tonight"))
            let publicAt = try #require(list.body.range(of: "hurt me tonight"))
            #expect(publicAt.lowerBound < anonymousAt.lowerBound)
            #expect(!list.body.contains("years ago"))
            #expect(list.body.components(separatedBy: "href=\"/@ana_writer\"").count - 1 == 1)
            #expect(refused.status == .forbidden)
            #expect(list.body.components(separatedBy: "class=\"notice crisis-flag\"").count - 1 == 2)
            #expect(!(try await someone.get("/voices")).body.contains("crisis-flag"))
            #expect((try await moderator.get("/voices")).body.contains("crisis-flag"))
        }
        await setup.store.shutdown()
    }

    @Test func safetyPageExplainsQuickExitHistoryAndPrivateBrowsing() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var browser = Browser(client)
            // act
            let page = try await browser.get("/help/safety")
            let french = try await browser.get("/help/safety", headers: [.acceptLanguage: "fr"])
            // check
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"history\""))
            for browserName in ["Chrome", "Firefox", "Safari", "Edge", "iPhone", "Android"] { #expect(page.body.contains(browserName)) }
            #expect(page.body.contains("Private browsing"))
            #expect(page.body.contains("Safety Net"))
            #expect(page.body.contains("id=\"quick-exit\""))
            #expect(french.body.contains("Effacer l&#39;historique") || french.body.contains("Effacer l'historique"))
        }
    }

    @Test func supportersSeeRainnsAdviceOpenAndInTheirLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let (_, id) = try await ana.sayMeToo("It was my uncle. #MeToo")
            var bea = Browser(client)
            try await bea.signUp("bea")
            // act
            let english = try await bea.get("/voices/\(id ?? "")")
            let german = try await bea.get("/voices/\(id ?? "")", headers: [.acceptLanguage: "de-AT"])
            // check
            #expect(english.body.contains("<details class=\"tips\" open>"))
            #expect(english.body.contains("Believe them. Say so."))
            #expect(english.body.contains("RAINN"))
            #expect(german.body.contains("Glaub der Person"))
        }
    }
}

/// The escaping the pages apply to text from the directory.
func htmlEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
}
