import ChorusCore
import Foundation
import Hummingbird

extension Pages {
    /// The help of the reader's country, and the footer's language choice: values every page gets.
    func helpValues(language: String, words: Words, request: Request, context: ChorusContext) -> [String: Any] {
        var values: [String: Any] = [
            "footer_languages": localization.codes.map { code in
                ["value": code, "label": words["language_\(code)"], "selected": code == language] as [String: Any]
            },
            "back_to": Self.returnPath(request),
        ]
        if let help {
            let country = ReaderHelp.help(account: context.account, request: request, directory: help.current)
            values["reader_help"] = HelpView.values(country, words: words)
            if let support = HelpView.support(country) { values["support"] = support }
        }
        return values
    }

    /// Where the footer's language choice leads back to: this page with its query (a report form names its voice in
    /// it); after a form was sent, the page it was sent from, as the browser gives it (a form's own address may be no
    /// page at all: it led to a 404). Only the path and query are kept, so it stays on this site.
    static func returnPath(_ request: Request) -> String {
        if request.method == .get { return request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") }
        guard let referer = request.headers[.referer], let url = URLComponents(string: referer), url.path.hasPrefix("/") else { return "/" }
        return url.path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// The reader's help, read fresh from the database (for the help page and the crisis panel).
    func freshHelp(request: Request, context: ChorusContext) async throws -> (directory: ResourceDirectory, help: CountryHelp) {
        let directory = try await help?.reload() ?? .bundled
        return (directory, ReaderHelp.help(account: context.account, request: request, directory: directory))
    }
}
