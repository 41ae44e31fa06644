import ChorusCore
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
    /// it). After a form was sent, the page it belongs to: `/voices/1/reply` answers on `/voices/1`, and `/say` or
    /// `/pledges` are pages themselves (a form's own address led to a 404; pages send no Referer, by design).
    static func returnPath(_ request: Request) -> String {
        let path = request.uri.path
        if request.method == .get { return path + (request.uri.query.map { "?" + $0 } ?? "") }
        let segments = path.split(separator: "/")
        return segments.count >= 3 ? "/" + segments.dropLast().joined(separator: "/") : path
    }

    /// The reader's help, read fresh from the database (for the help page and the crisis panel).
    func freshHelp(request: Request, context: ChorusContext) async throws -> (directory: ResourceDirectory, help: CountryHelp) {
        let directory = try await help?.reload() ?? .bundled
        return (directory, ReaderHelp.help(account: context.account, request: request, directory: directory))
    }
}
