import ChorusStore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Answers repeated reads by signed-out readers from memory, as long as nothing has been written since.
///
/// On the day a campaign goes viral most reads are the same few pages, hashtag timelines, threads and counts, asked
/// for by people who are not signed in. The answer is the same for all of them, but for a page's CSRF token, which is
/// each visitor's own and is put back into the kept page for each one. An answer is kept until the next committed
/// write in this process, or for at most `maxAge` (writes by other instances sharing a PostgreSQL reach this one
/// through the live relay, which also marks a change; the age limit bounds what that could miss). Only complete 200
/// answers that set no cookie are kept; a signed-in request, a stream, or any method but GET passes straight through.
final class SignedOutReadCache: RouterMiddleware, Sendable {
    typealias Context = ChorusContext

    let store: ChorusStore
    let maxAge: Duration
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])
    /// Answers being built, by key, with the readers waiting for them: when a kept answer goes stale, sixty-four
    /// readers of the same page would otherwise all build it again at once.
    private let building = Mutex<[String: [CheckedContinuation<Entry?, Never>]]>([:])

    init(store: ChorusStore, maxAge: Duration = .seconds(1), capacity: Int = 2_048) {
        self.store = store
        self.maxAge = maxAge
        self.capacity = capacity
    }

    struct Entry: Sendable {
        let changeCount: UInt64
        let storedAt: ContinuousClock.Instant
        let headers: HTTPFields
        /// The body in pieces, split where the visitor's CSRF token stood.
        let pieces: [ByteBuffer]

        func response(csrfToken: String) -> Response {
            Response(status: .ok, headers: headers, body: .init(byteBuffer: body(csrfToken: csrfToken)))
        }

        func body(csrfToken: String) -> ByteBuffer {
            guard pieces.count > 1 else { return pieces.first ?? ByteBuffer() }
            var body = ByteBuffer()
            body.reserveCapacity(pieces.reduce(0) { $0 + $1.readableBytes } + (pieces.count - 1) * csrfToken.utf8.count)
            for (index, piece) in pieces.enumerated() {
                if index > 0 { body.writeString(SignedOutReadCache.field(csrfToken)) }
                body.writeImmutableBuffer(piece)
            }
            return body
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = Self.key(for: request, context: context) else { return try await next(request, context) }
        let changeCount = store.database.changeCount
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.changeCount == changeCount, now - entry.storedAt < maxAge {
            return entry.response(csrfToken: context.csrfToken)
        }
        let builds = building.withLock { building in
            guard building[key] == nil else { return false }
            building[key] = []
            return true
        }
        guard builds else {
            // Someone is building this answer: wait for it, and build it again only if it can't be shared.
            let built = await withCheckedContinuation { (waiter: CheckedContinuation<Entry?, Never>) in
                let waits = building.withLock { building in
                    guard building[key] != nil else { return false }
                    building[key]?.append(waiter)
                    return true
                }
                if !waits { waiter.resume(returning: nil) }
            }
            if let built, built.changeCount == changeCount { return built.response(csrfToken: context.csrfToken) }
            return try await next(request, context)
        }
        var built: Entry?
        defer {
            for waiter in building.withLock({ $0.removeValue(forKey: key) ?? [] }) { waiter.resume(returning: built) }
        }
        var response = try await next(request, context)
        guard response.status == .ok, response.headers[.setCookie] == nil, let length = response.body.contentLength, length <= 256 * 1024,
            response.headers[.contentType]?.hasPrefix("text/event-stream") != true
        else { return response }
        let sink = BodySink()
        try await response.body.write(sink)
        let body = sink.collected
        response.body = .init(byteBuffer: body)
        guard let pieces = Self.pieces(of: body, around: context.csrfToken) else { return response }
        let entry = Entry(changeCount: changeCount, storedAt: now, headers: response.headers, pieces: pieces)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
        built = entry
        return response
    }

    /// The request's key when its answer may be shared: a signed-out GET (not a stream, nor the health and metrics
    /// endpoints); nil otherwise. Everything an answer may depend on is in it: the URI, the Accept and Accept-Language
    /// headers, and every cookie but the CSRF token (language and country choices are cookies).
    static func key(for request: Request, context: Context) -> String? {
        let path = request.uri.path
        guard request.method == .get, context.account == nil, context.suspendedAccount == nil, request.headers[.authorization] == nil,
            request.cookies[SessionMiddleware.sessionCookie] == nil, !path.hasPrefix("/api/v1/streaming"), !path.hasSuffix("/live"),
            path != "/health", path != "/metrics"
        else { return nil }
        let cookies = request.headers[values: .cookie].joined(separator: "; ").split(separator: ";")
            .map { String($0).trimmingWhitespace }.filter { !$0.hasPrefix(SessionMiddleware.csrfCookie + "=") }.sorted()
        return [request.uri.description, request.headers[.acceptLanguage] ?? "", request.headers[.accept] ?? "", cookies.joined(separator: "; ")]
            .joined(separator: "\n")
    }

    /// The body split wherever a form carries the visitor's CSRF token (`field`), or nil when the page can't be shared:
    /// some form's token was not found where it belongs, so a visitor would get someone else's.
    static func pieces(of body: ByteBuffer, around token: String) -> [ByteBuffer]? {
        let text = String(buffer: body)
        let forms = text.split(separator: "name=\"_csrf\"", omittingEmptySubsequences: false).count - 1
        guard !token.isEmpty else { return forms == 0 ? [body] : nil }  // API answers carry no token
        let pieces = text.split(separator: field(token), omittingEmptySubsequences: false)
        guard pieces.count - 1 == forms else { return nil }
        return pieces.map { ByteBuffer(string: String($0)) }
    }

    /// How a form carries the token: the only place it is cut out and put back, never another run of the page's text.
    static func field(_ token: String) -> String { "name=\"_csrf\" value=\"\(token)\"" }
}

/// Collects a response body that is already in memory, so it can be kept and sent again.
private final class BodySink: ResponseBodyWriter {
    var collected = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        collected.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
