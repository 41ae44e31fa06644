import ChorusCore
import Hummingbird

/// Which country's help a reader sees: their own choice (account setting, else the `chorus_country` cookie), else their
/// browser's `Accept-Language`. Never the network address: a survivor may hide where they are on purpose.
enum ReaderHelp {
    static let countryCookie = "chorus_country"

    /// The chosen or guessed country code, or nil when nothing hints at one (the international entry then applies).
    /// A link may name the country for once (`/help?country=BR`: an app's `help_url` after a post in crisis, or the
    /// crisis panel after a *me too* given with a country); it is not remembered.
    static func countryCode(account: Account?, request: Request, directory: ResourceDirectory) -> String? {
        if let named = request.uri.queryParameters["country"].map(String.init), isChoosable(named, in: directory) { return normalised(named) }
        if let chosen = account?.country, isChoosable(chosen, in: directory) { return chosen.uppercased() }
        if let cookie = request.cookies[countryCookie]?.value, isChoosable(cookie, in: directory) { return cookie.uppercased() }
        return ReaderCountry.from(acceptLanguage: request.headers[.acceptLanguage])
    }

    /// The help for a reader.
    static func help(account: Account?, request: Request, directory: ResourceDirectory) -> CountryHelp {
        directory.help(for: countryCode(account: account, request: request, directory: directory) ?? ResourceDirectory.internationalCode)
    }

    /// A code a reader may pick: a country in the directory, or the international entry.
    static func isChoosable(_ code: String, in directory: ResourceDirectory) -> Bool {
        code.lowercased() == ResourceDirectory.internationalCode || ReaderCountry.isKnown(code, in: directory)
    }

    /// The stored form of a choice: capitals for countries, `international` as is.
    static func normalised(_ code: String) -> String {
        code.lowercased() == ResourceDirectory.internationalCode ? ResourceDirectory.internationalCode : code.uppercased()
    }
}
