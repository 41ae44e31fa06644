import ChorusCore
import ChorusStore
import Foundation
import Hummingbird
import Logging

/// Turns every refusal into a clear 4xx a person can act on: a page for the web, Mastodon's JSON shape for the API.
/// Anything else is a bug: it is logged (never with an address) and answered with a calm 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ChorusContext
    let pages: Pages
    let outageLog: OutageLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let signIn as SignInRequired where !Self.wantsJSON(request) {
            let target = signIn.returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return redirect(to: "/signin?next=\(target)")
        } catch {
            let (status, message) = Self.describe(error, forAPI: request.uri.path.hasPrefix("/api/"))
            if status == .serviceUnavailable {
                if let quiet = outageLog.admit() {
                    let since = quiet > 0 ? " (and \(quiet) more requests since the last such warning)" : ""
                    context.logger.warning("Storage unavailable on \(request.method) \(request.uri.path)\(since): \(String(reflecting: error))")
                }
            } else if status.code >= 500 {
                context.logger.error("Unhandled error on \(request.method) \(request.uri.path): \(String(reflecting: error))")
            }
            var response: Response
            if Self.wantsJSON(request) {
                response = Self.json(status: status, message: message)
            } else {
                // Outside the session (see `buildRouter`) this context has no CSRF token: the browser's own CSRF cookie
                // keeps the page's forms (language, sign out) working.
                var context = context
                if context.csrfToken.isEmpty, let token = request.cookies[SessionMiddleware.csrfCookie]?.value, Secrets.isToken(token) {
                    context.csrfToken = token
                }
                let words = pages.words(context, request)
                response = pages.message(words["error_title"], message, request: request, context: context, status: status)
            }
            if status == .serviceUnavailable { response.headers[.retryAfter] = "30" }
            if let reached = error as? LimitReached { response.headers[.retryAfter] = String(reached.retryAfter) }
            return response
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path == "/oauth/token" || path == "/oauth/revoke" || path.hasSuffix(".json")
            || path.hasPrefix("/nodeinfo") || path.hasPrefix("/.well-known")
    }

    /// Mastodon's error shape: `{"error": "...", "error_description": "..."}`.
    static func json(status: HTTPResponse.Status, message: String, description: String? = nil) -> Response {
        var object = ["error": message]
        if let description { object["error_description"] = description }
        let data = (try? JSONEncoder().encode(object)) ?? Data("{\"error\":\"error\"}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let noPage = "There is no page here. It may have moved, or the address has a typo."
    static let noMethod =
        "Chorus does not offer this part of the Mastodon API. The methods it offers are listed in its API documentation (docs/api.md)."

    /// The status and words for an error; `forAPI`: an app that calls a Mastodon method Chorus does not offer is told
    /// so, not that an address has a typo.
    static func describe(_ error: any Error, forAPI: Bool = false) -> (HTTPResponse.Status, String) {
        switch error {
        case let refusal as Refusal:
            switch refusal.kind {
            case .notFound: return (.notFound, refusal.message)
            case .conflict: return (.conflict, refusal.message)
            case .forbidden: return (.forbidden, refusal.message)
            case .gone: return (.gone, refusal.message)
            case .unprocessable: return (.unprocessableContent, refusal.message)
            }
        case let reached as LimitReached:
            return (.tooManyRequests, reached.limit.message)
        case let input as InputError:
            return (.unprocessableContent, input.message)
        case let http as HTTPError:
            if http.status == .notFound, http.body == nil { return (.notFound, forAPI ? noMethod : noPage) }
            return (http.status, http.body ?? http.status.reasonPhrase)
        case is DecodingError:
            return (.unprocessableContent, "Some of what was sent could not be read. Check the fields and their types, and try again.")
        case let error where StorageUnavailable.matches(error):
            return (
                .serviceUnavailable,
                "Chorus can't save or read right now: its storage is unavailable. Nothing you already shared is lost. Please try again in a minute."
            )
        case is CancellationError:
            // The request was given up while Chorus stops: another instance, or this one once it is back, answers it.
            return (
                .serviceUnavailable,
                "This Chorus server is stopping, so it could not finish this. Nothing you already shared is lost. Please try again in a minute."
            )
        case let status as any HTTPResponseError:
            return (status.status, status.status.reasonPhrase)
        default:
            return (.internalServerError, "Something went wrong on our side. Nothing you did caused this; please try again in a moment.")
        }
    }
}
