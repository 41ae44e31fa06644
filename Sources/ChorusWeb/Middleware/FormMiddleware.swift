import ChorusCore
import Hummingbird

/// Parses web form bodies once and refuses any that does not carry this browser's CSRF token.
struct FormMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    /// Paths apps post to with their own credentials, never with a browser's cookies.
    static let exemptPaths: Set<String> = ["/oauth/token", "/oauth/revoke"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, !request.uri.path.hasPrefix("/api/"), !Self.exemptPaths.contains(request.uri.path) else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw HTTPError(.contentTooLarge, message: "That is more text than a form can carry (64 KiB). Please shorten it.")
        }
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw HTTPError(.unsupportedMediaType, message: "Please send this form from the page it belongs to.")
        }
        let form = Form(String(buffer: body))
        let sent = try form.value("_csrf") ?? ""
        guard !sent.isEmpty, sent == request.cookies[SessionMiddleware.csrfCookie]?.value else {
            throw HTTPError(.forbidden, message: "This form has expired. Please go back, reload the page and send it again.")
        }
        if form.values.contains(where: { name, values in name.utf8.contains(0) || values.contains { $0.utf8.contains(0) } }) {
            throw InputError("The form contains an invisible null character that can't be stored. Please remove it and send again.")
        }
        context.form = form
        return try await next(request, context)
    }
}
