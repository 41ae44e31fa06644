import ChorusStore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Answers repeated API reads by signed-out readers from memory, as long as nothing has been written since.
///
/// On the day a campaign goes viral most reads are the same few hashtag timelines, threads and counts, asked for by
/// people who are not signed in. Their answer is the same for every one of them (nothing in it depends on who asks),
/// so it is kept until the next committed write in this process, or for at most `maxAge` (writes by other instances
/// sharing a PostgreSQL reach this one through the live relay, which also marks a change; the age limit bounds what
/// that could miss). Only complete 200 answers without cookies are kept; a signed-in request, a stream, or any other
/// method passes straight through.
final class SignedOutReadCache: RouterMiddleware, Sendable {
    typealias Context = ChorusContext

    let store: ChorusStore
    let maxAge: Duration
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(store: ChorusStore, maxAge: Duration = .seconds(1), capacity: Int = 2_048) {
        self.store = store
        self.maxAge = maxAge
        self.capacity = capacity
    }

    struct Entry: Sendable {
        let changeCount: UInt64
        let storedAt: ContinuousClock.Instant
        let headers: HTTPFields
        let body: ByteBuffer
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = Self.key(for: request) else { return try await next(request, context) }
        let changeCount = store.database.changeCount
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.changeCount == changeCount, now - entry.storedAt < maxAge {
            return Response(status: .ok, headers: entry.headers, body: .init(byteBuffer: entry.body))
        }
        var response = try await next(request, context)
        guard response.status == .ok, response.headers[.setCookie] == nil, let length = response.body.contentLength, length <= 256 * 1024,
            response.headers[.contentType]?.hasPrefix("text/event-stream") != true
        else { return response }
        let sink = BodySink()
        try await response.body.write(sink)
        let body = sink.collected
        response.body = .init(byteBuffer: body)
        let entry = Entry(changeCount: changeCount, storedAt: now, headers: response.headers, body: body)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = entry
        }
        return response
    }

    /// The request's key when its answer may be shared: a signed-out GET of the API (not its streams); nil otherwise.
    /// Everything an answer may depend on is in it: the URI, and the language and country (headers and cookies).
    static func key(for request: Request) -> String? {
        guard request.method == .get, request.uri.path.hasPrefix("/api/"), !request.uri.path.hasPrefix("/api/v1/streaming"),
            request.headers[.authorization] == nil, request.cookies[SessionMiddleware.sessionCookie] == nil
        else { return nil }
        return [request.uri.description, request.headers[.acceptLanguage], request.headers[.accept], request.headers[.cookie]]
            .map { $0 ?? "" }.joined(separator: "\n")
    }
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
