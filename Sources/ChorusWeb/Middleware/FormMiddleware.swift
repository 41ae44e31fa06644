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
        let body = try await request.collectBody(
            upTo: context.maxUploadSize, tooLarge: "That is more text than a form can carry (64 KiB). Please shorten it.",
            unreadable: "This form arrived incomplete. Please go back and send it again.")
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

extension Request {
    /// The whole body, up to `limit` bytes. One over the limit is a 413 that says `tooLarge`; one that breaks off or
    /// can't be read (a broken chunk, a connection cut mid-body) is a 400 that says `unreadable`.
    mutating func collectBody(upTo limit: Int, tooLarge: String, unreadable: String) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {  // NIOTooManyBytesError
            throw HTTPError(.contentTooLarge, message: tooLarge)
        } catch {
            throw HTTPError(.badRequest, message: unreadable)
        }
    }
}
