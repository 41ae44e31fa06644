import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// `/help` (hotlines and the emergency number for the reader's country), `/help/safety` (leaving quickly, history,
/// private browsing), and the reader's choices of country and language.
struct HelpController {
    let services: ChorusServices
    var pages: Pages { services.pages }
    /// Choices are remembered for a year; they are the reader's, not tracking.
    static let choiceLifetime = 365 * 24 * 3600

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/help") { request, context in try await helpPage(request, context) }
        router.get("/help/safety") { request, context in
            pages.render("help_safety", [:], request: request, context: context)
        }
        router.post("/help/country", use: chooseCountry)
        router.post("/language", use: chooseLanguage)
    }

    func helpPage(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let words = pages.words(context, request)
        let (directory, help) = try await pages.freshHelp(request: request, context: context)
        let countries = HelpSettings.countryOptions(directory, selected: help.code, words: words)
        return pages.render(
            "help", ["country": HelpView.values(help, words: words), "countries": countries, "chosen": request.uri.queryParameters["chosen"] != nil],
            request: request, context: context
        )
    }

    /// Remembers the country on the account when signed in, else in a cookie on this browser only.
    @Sendable func chooseCountry(_ request: Request, context: ChorusContext) async throws -> Response {
        let chosen = try context.submitted.value("country") ?? ""
        let directory = try await pages.help?.reload() ?? .bundled
        guard ReaderHelp.isChoosable(chosen, in: directory) else {
            throw InputError(pages.words(context, request)["help_country_unknown"], field: "country")
        }
        let code = ReaderHelp.normalised(chosen)
        var response = redirect(to: "/help?chosen=1")
        if let account = context.account {
            try await services.store.updateSettings(accountID: account.id, displayName: nil, country: code, language: nil, defaultReplyPolicy: nil)
        } else {
            response.setCookie(choiceCookie(ReaderHelp.countryCookie, code))
        }
        return response
    }

    /// The footer's language switcher: the account's setting when signed in, else a cookie; then back to the same page.
    @Sendable func chooseLanguage(_ request: Request, context: ChorusContext) async throws -> Response {
        let form = context.submitted
        let chosen = try form.value("lang") ?? ""
        guard pages.localization.codes.contains(chosen) else {
            throw InputError(pages.words(context, request)["language_unknown"], field: "lang")
        }
        var response = redirect(to: LocalPath.from(try form.value("back")))
        if let account = context.account {
            try await services.store.updateSettings(accountID: account.id, displayName: nil, country: nil, language: chosen, defaultReplyPolicy: nil)
        }
        response.setCookie(choiceCookie(Localization.languageCookie, chosen))
        return response
    }

    func choiceCookie(_ name: String, _ value: String) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: Self.choiceLifetime, path: "/", secure: services.config.secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Only a path on this site: never an address elsewhere.
}
