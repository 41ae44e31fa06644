import ChorusCore
import Hummingbird

extension Pages {
    /// The help of the reader's country, and the footer's language choice: values every page gets.
    func helpValues(language: String, words: Words, request: Request, context: ChorusContext) -> [String: Any] {
        var values: [String: Any] = [
            "footer_languages": localization.codes.map { code in
                ["value": code, "label": words["language_\(code)"], "selected": code == language] as [String: Any]
            },
            "back_to": request.uri.path,
        ]
        if let help {
            let country = ReaderHelp.help(account: context.account, request: request, directory: help.current)
            values["reader_help"] = HelpView.values(country, words: words)
            if let support = HelpView.support(country) { values["support"] = support }
        }
        return values
    }

    /// The reader's help, read fresh from the database (for the help page and the crisis panel).
    func freshHelp(request: Request, context: ChorusContext) async throws -> (directory: ResourceDirectory, help: CountryHelp) {
        let directory = try await help?.reload() ?? .bundled
        return (directory, ReaderHelp.help(account: context.account, request: request, directory: directory))
    }
}
