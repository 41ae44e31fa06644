import ChorusCore
import Foundation
import Hummingbird
import Mustache

/// Server-rendered pages: one layout, one template per page, words from the reader's language.
public struct Pages: Sendable {
    /// A form's error as its page shows it (`render`): the words, and the field they are about, if any.
    static func formError(_ message: String, field: String?) -> [String: Any] {
        var values: [String: Any] = ["error": message]
        if let field { values["error_field"] = field }
        return values
    }

    let library: MustacheLibrary
    let localization: Localization
    let config: AppConfig
    /// Hotlines for the support line on every page; nil only where no store exists.
    let help: HelpDirectory?

    init(config: AppConfig, help: HelpDirectory? = nil) async throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw ChorusStartupError("The page templates are missing from this build.")
        }
        self.library = try await MustacheLibrary(directory: directory)
        self.localization = try Localization.load()
        self.config = config
        self.help = help
    }

    /// The words of the reader's language, for use outside templates.
    func words(_ context: ChorusContext, _ request: Request) -> Words {
        localization.words(for: localization.language(account: context.account, request: request))
    }

    /// Renders `template` inside the layout with the values every page needs.
    func render(
        _ template: String, _ values: [String: Any], request: Request, context: ChorusContext, status: HTTPResponse.Status = .ok
    ) -> Response {
        let language = localization.language(account: context.account, request: request)
        let words = localization.words(for: language)
        var all: [String: Any] = [
            "t": words.table,
            "lang": language,
            "csrf": context.csrfToken,
            "instance_name": config.instanceName,
            "exit_url": config.exitURL,
            "path": request.uri.path,
        ]
        all.merge(helpValues(language: language, words: words, request: request, context: context)) { _, new in new }
        if let account = context.account {
            all["me"] = ["id": String(account.id), "handle": account.handle, "display_name": account.displayName, "moderator": account.isModerator]
            // A plain flag for sections inside a voice: `{{#me}}` would make `{{id}}` the account's id there.
            all["signed_in"] = true
        }
        if !context.notices.isEmpty {
            all["page_notices"] = context.notices.map { ["text": $0.text, "link": $0.link, "link_text": $0.linkText] }
        }
        for (key, value) in values { all[key] = value }
        // A form's error is mostly the domain's English sentence (an `InputError`, a `Refusal`): shown in the page's
        // language.
        if let error = values["error"] as? String { all["error"] = words.message(error) }
        // The field a form's error is about is marked invalid for screen readers (`{{#invalid.text}}`), and described
        // by the error.
        if let field = values["error_field"] as? String { all["invalid"] = [field: true] }
        let html = library.render(all, withTemplate: template) ?? fallbackPage
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Shown if a template cannot render: still with the quick exit.
    var fallbackPage: String {
        let exit = VoiceHTML.escape(config.exitURL)
        return "<!doctype html><html lang=\"en\"><title>Chorus</title><script src=\"/static/exit.js\" defer></script>"
            + "<body data-exit-url=\"\(exit)\"><a id=\"quick-exit\" href=\"\(exit)\" rel=\"noreferrer\">Quick exit (Esc)</a>"
            + "<main><p>This page could not be shown.</p></main></body></html>"
    }

    /// A short page with one message and a way back, for errors and confirmations; a message from the domain (in
    /// English) is shown in the page's language.
    func message(
        _ title: String, _ text: String, request: Request, context: ChorusContext, status: HTTPResponse.Status, back: String? = nil
    ) -> Response {
        render(
            "message", ["title": title, "message": words(context, request).message(text), "back": back ?? "/"], request: request, context: context,
            status: status)
    }
}

/// A redirect after a form is handled (303: the browser follows with GET).
func redirect(to location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

/// Something Chorus needs in order to start is missing.
public struct ChorusStartupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
