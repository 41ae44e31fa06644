import ChorusCore
import ChorusStore
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// One stream a client listens to: Mastodon's `public`, `public:local`, `hashtag`, `hashtag:local`, `user`, `user:notification`.
struct StreamSubscription: Hashable, Sendable {
    enum Kind: String, Sendable {
        case `public`
        case publicLocal = "public:local"
        case hashtag
        case hashtagLocal = "hashtag:local"
        case user
        case userNotification = "user:notification"
    }

    let kind: Kind
    /// The hashtag, normalised, for hashtag streams.
    let tag: String?

    init(kind: Kind, tag: String? = nil) {
        self.kind = kind
        self.tag = tag.map(Hashtags.normalise)
    }

    /// Parses a stream name (and `tag`), refusing one that needs an account when there is none.
    init(name: String, tag: String?, signedIn: Bool) throws {
        guard let kind = Kind(rawValue: name) else {
            throw InputError("“\(name)” is not a stream Chorus has: use public, public:local, hashtag, hashtag:local, user or user:notification.")
        }
        if kind == .hashtag || kind == .hashtagLocal {
            guard let tag, Hashtags.isValidName(tag.trimmingCharacters(in: ["#"])) else {
                throw InputError("A hashtag stream needs a tag, for example tag=metoo.", field: "tag")
            }
            self.init(kind: kind, tag: tag.trimmingCharacters(in: ["#"]))
            return
        }
        if (kind == .user || kind == .userNotification) && !signedIn {
            throw HTTPError(.unauthorized, message: "The user stream needs an access token.")
        }
        self.init(kind: kind)
    }

    /// Mastodon's `stream` array in WebSocket messages.
    var names: [String] { tag.map { [kind.rawValue, $0] } ?? [kind.rawValue] }
}

/// One message for a client: `event` and its `payload` (a JSON text, or an id for deletions).
struct StreamMessage: Sendable {
    let subscription: StreamSubscription
    let event: String
    let payload: String
}

/// Turns live events into Mastodon streaming messages for one reader. Every voice is read again as this reader may
/// see it, so a stream shows nothing a timeline would not; notifications go only to their recipient.
final class StreamDispatcher: Sendable {
    let services: ChorusServices
    let account: Account?
    /// The newest notification already sent on this connection.
    let notificationCursor = Mutex<Int64>(Int64.max)
    /// Notifications about one voice pushed at most once per window; see `AppConfig.notificationPushWindow`.
    let pushes: NotificationPushes

    var store: ChorusStore { services.store }

    init(services: ChorusServices, account: Account?) {
        self.services = services
        self.account = account
        let window = services.config.notificationPushWindow.components
        self.pushes = NotificationPushes(window: window.seconds * 1000 + window.attoseconds / 1_000_000_000_000_000)
    }

    func prepare() async throws {
        guard let account else { return }
        let newest = try await store.notifications(accountID: account.id, page: .init(limit: 1)).first?.id ?? 0
        notificationCursor.withLock { $0 = newest }
    }

    func messages(for event: LiveEvent, subscriptions: Set<StreamSubscription>) async throws -> [StreamMessage] {
        guard !subscriptions.isEmpty else { return [] }
        var out: [StreamMessage] = []
        switch event.kind {
        case .voice:
            guard let id = event.voiceID, let voice = try await store.voice(id: id, viewer: account?.id), voice.state == .visible else { return [] }
            var matching: [StreamSubscription] = []
            var homeChecked: Bool?
            for subscription in subscriptions {
                switch subscription.kind {
                case .public, .publicLocal:
                    if voice.visibility.isListed { matching.append(subscription) }
                case .hashtag, .hashtagLocal:
                    if voice.visibility.isListed, let tag = subscription.tag, voice.hashtags.contains(tag) { matching.append(subscription) }
                case .user:
                    if homeChecked == nil { homeChecked = try await belongsToHome(voice) }
                    if homeChecked == true { matching.append(subscription) }
                case .userNotification:
                    break
                }
            }
            guard !matching.isEmpty else { return [] }
            let payload = try await MastodonEntities(services: services).status(voice).serialized()
            for subscription in matching { out.append(StreamMessage(subscription: subscription, event: "update", payload: payload)) }
        case .deleted:
            guard let id = event.voiceID else { return [] }
            let isWriter = account != nil && event.accountID == account?.id
            for subscription in subscriptions where subscription.kind != .userNotification {
                guard event.isListed || (subscription.kind == .user && isWriter) else { continue }
                out.append(StreamMessage(subscription: subscription, event: "delete", payload: String(id)))
            }
        case .notification:
            guard let account, event.accountID == account.id else { return [] }
            let targets = subscriptions.filter { $0.kind == .user || $0.kind == .userNotification }
            guard !targets.isEmpty else { return [] }
            let since = notificationCursor.withLock { $0 }
            let fresh = try await store.notifications(accountID: account.id, page: .init(minID: since, limit: 40))
            guard let newest = fresh.first?.id else { return [] }
            notificationCursor.withLock { $0 = max($0, newest) }
            let oldestFirst = Array(fresh.reversed())
            let entities = try await MastodonEntities(services: services).notifications(oldestFirst, recipient: account.id)
            // Some notifications have no entity (their voice has gone): each entity is matched to its own by id.
            let groupKeys = oldestFirst.map { (key: JSON.id($0.id), value: $0.groupKey) }
            let keyed = entities.map { entity in (key: groupKeys.first { $0.key == entity["id"] }?.value ?? "", payload: entity.serialized()) }
            for payload in pushes.admit(keyed, now: ChorusDatabase.now()) {
                for subscription in targets {
                    out.append(StreamMessage(subscription: subscription, event: "notification", payload: payload))
                }
            }
        case .magnitude:
            break
        }
        return out
    }

    /// Held-back notifications whose window has ended, for a stream's heartbeat.
    func duePushes(subscriptions: Set<StreamSubscription>) -> [StreamMessage] {
        let targets = subscriptions.filter { $0.kind == .user || $0.kind == .userNotification }
        guard account != nil, !targets.isEmpty else { return [] }
        return pushes.due(now: ChorusDatabase.now()).flatMap { payload in
            targets.map { StreamMessage(subscription: $0, event: "notification", payload: payload) }
        }
    }

    /// Whether a voice belongs on this reader's home timeline.
    func belongsToHome(_ voice: Voice) async throws -> Bool {
        guard let account else { return false }
        if voice.isMine { return true }
        if voice.visibility == .public, case .account(let author, _, _) = voice.author, try await store.follows(author, by: account.id) {
            return true
        }
        guard voice.visibility.isListed else { return false }
        let followed = Set(try await store.followedTags(by: account.id))
        return voice.hashtags.contains { followed.contains($0) }
    }
}

/// A live event, or a heartbeat when nothing happened for a while.
enum StreamTick: Sendable {
    case event(LiveEvent)
    case heartbeat
}

/// Live events with heartbeats, which the server can end (when it shuts down).
struct TickStream: Sendable {
    let stream: AsyncStream<StreamTick>
    let continuation: AsyncStream<StreamTick>.Continuation

    func finish() { continuation.finish() }
}

extension LiveEvents {
    /// Live events with a heartbeat every `interval`, ending when the consumer stops.
    func ticks(every interval: Duration = .seconds(15)) -> TickStream {
        let events = subscribe()
        let (stream, continuation) = AsyncStream<StreamTick>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let forward = Task {
            for await event in events { continuation.yield(.event(event)) }
            continuation.finish()
        }
        let beat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                continuation.yield(.heartbeat)
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            beat.cancel()
        }
        return TickStream(stream: stream, continuation: continuation)
    }
}

/// Whether a stream opened with a token may still be read. Since it opened, the token may have been revoked (as a
/// password change or "sign the app out" does), or its account suspended or deleted: the stream then ends, as every
/// other request with that token already gets a 401. Asked before anything is sent, at most once a second (a
/// signed-out stream has nothing to lose). A database that can't answer for a moment does not end a stream.
final class StreamAccess: Sendable {
    private let store: ChorusStore
    private let token: String?
    private let lastGranted = Mutex<ContinuousClock.Instant>(.now)

    init(store: ChorusStore, token: String?) {
        self.store = store
        self.token = token
    }

    func stillGranted() async -> Bool {
        guard let token else { return true }
        let now = ContinuousClock.now
        guard lastGranted.withLock({ now - $0 >= .seconds(1) }) else { return true }
        do {
            guard try await store.grant(token: token) != nil else { return false }
        } catch {
            return true
        }
        lastGranted.withLock { $0 = now }
        return true
    }
}

/// Mastodon's streaming API: Server-Sent Events at `/api/v1/streaming/…`, and the WebSocket at `/api/v1/streaming`.
struct MastodonStreaming {
    let services: ChorusServices

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/api/v1/streaming/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "OK")))
        }
        // The WebSocket's address asked as a plain request (a WebSocket upgrade never reaches this router).
        router.get("/api/v1/streaming") { _, _ -> Response in
            throw HTTPError(
                .upgradeRequired,
                message:
                    "Open this address as a WebSocket (?stream=public&access_token=…), or read the same events as Server-Sent Events at /api/v1/streaming/public, /hashtag?tag=…, /user or /user/notification."
            )
        }
        let streams: [(String, StreamSubscription.Kind)] = [
            ("public", .public), ("public/local", .publicLocal), ("hashtag", .hashtag), ("hashtag/local", .hashtagLocal),
            ("user", .user), ("user/notification", .userNotification),
        ]
        for (path, kind) in streams {
            router.get(RouterPath("/api/v1/streaming/\(path)")) { request, context in
                try await serverSentEvents(kind: kind, request: request, context: context)
            }
        }
    }

    func serverSentEvents(kind: StreamSubscription.Kind, request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.optionalUser("read:statuses")
        let subscription = try StreamSubscription(
            name: kind.rawValue, tag: request.uri.queryParameters["tag"].map(String.init), signedIn: account != nil)
        let dispatcher = StreamDispatcher(services: services, account: account)
        try await dispatcher.prepare()
        let access = StreamAccess(store: services.store, token: account == nil ? nil : BearerAuthMiddleware.token(in: request))
        let ticks = services.live.ticks(every: services.config.streamHeartbeat)
        // A client that went away ends its stream at once, not at the next heartbeat's failed write.
        context.connectionClosed.whenComplete { _ in ticks.finish() }
        let logger = context.logger
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ":)\n\n"))
                // A shutting-down server ends its streams; clients reconnect to another instance.
                try await withGracefulShutdownHandler {
                    try await Self.send(ticks, dispatcher: dispatcher, access: access, subscription: subscription, logger: logger, to: &writer)
                } onGracefulShutdown: {
                    ticks.finish()
                }
                try await writer.finish(nil)
            }
        )
    }

    static func send(
        _ ticks: TickStream, dispatcher: StreamDispatcher, access: StreamAccess, subscription: StreamSubscription, logger: Logger,
        to writer: inout some ResponseBodyWriter
    ) async throws {
        for await tick in ticks.stream {
            guard await access.stillGranted() else { return }
            switch tick {
            case .heartbeat:
                try await writer.write(ByteBuffer(string: ":thump\n\n"))
                for message in dispatcher.duePushes(subscriptions: [subscription]) {
                    try await writer.write(ByteBuffer(string: "event: \(message.event)\ndata: \(message.payload)\n\n"))
                }
            case .event(let event):
                let messages: [StreamMessage]
                do {
                    messages = try await dispatcher.messages(for: event, subscriptions: [subscription])
                } catch {
                    logger.warning("A streaming event could not be read: \(error)")
                    continue
                }
                for message in messages {
                    try await writer.write(ByteBuffer(string: "event: \(message.event)\ndata: \(message.payload)\n\n"))
                }
            }
        }
    }

    /// The WebSocket form: `?stream=…&tag=…&access_token=…`, then `{"type":"subscribe","stream":"hashtag","tag":"metoo"}` messages.
    func addWebSocketRoutes(to router: Router<StreamingContext>) {
        router.ws("/api/v1/streaming") { request, _ in
            let token = request.uri.queryParameters["access_token"].map(String.init) ?? request.headers[.secWebSocketProtocol]
            var account: Account?
            if let token, !token.isEmpty {
                guard let grant = try await services.store.grant(token: token), grant.scopes.allows("read:statuses") else { return .dontUpgrade }
                account = grant.account
            }
            if let stream = request.uri.queryParameters["stream"] {
                guard
                    (try? StreamSubscription(
                        name: String(stream), tag: request.uri.queryParameters["tag"].map(String.init), signedIn: account != nil)) != nil
                else { return .dontUpgrade }
            }
            if let proposed = request.headers[.secWebSocketProtocol], proposed == token { return .upgrade([.secWebSocketProtocol: proposed]) }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let request = context.request
            let token = request.uri.queryParameters["access_token"].map(String.init) ?? request.headers[.secWebSocketProtocol]
            let account = try await token.asyncFlatMap { try await services.store.grant(token: $0)?.account }
            let dispatcher = StreamDispatcher(services: services, account: account)
            try await dispatcher.prepare()
            let access = StreamAccess(store: services.store, token: account == nil ? nil : token)
            let subscriptions = SubscriptionSet()
            if let stream = request.uri.queryParameters["stream"],
                let first = try? StreamSubscription(
                    name: String(stream), tag: request.uri.queryParameters["tag"].map(String.init), signedIn: account != nil)
            {
                subscriptions.value.withLock { _ = $0.insert(first) }
            }
            let ticks = services.live.ticks(every: services.config.streamHeartbeat)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 16 * 1024) {
                        guard case .text(let text) = message else { continue }
                        do {
                            let change = try Self.subscriptionChange(text, signedIn: account != nil)
                            subscriptions.value.withLock { set in
                                if change.subscribe { set.insert(change.subscription) } else { set.remove(change.subscription) }
                            }
                        } catch {
                            let description = (error as? InputError)?.message ?? "That message could not be read."
                            let reply: JSON = ["error": .string(description), "status": 400]
                            try await outbound.writeTextMessage(reply.serialized())
                        }
                    }
                }
                group.addTask {
                    for await tick in ticks.stream {
                        guard await access.stillGranted() else { return }
                        let current = subscriptions.value.withLock { $0 }
                        let messages: [StreamMessage]
                        switch tick {
                        case .heartbeat: messages = dispatcher.duePushes(subscriptions: current)
                        case .event(let event):
                            guard let found = try? await dispatcher.messages(for: event, subscriptions: current) else { continue }
                            messages = found
                        }
                        for message in messages {
                            let json: JSON = [
                                "stream": .array(message.subscription.names.map(JSON.string)), "event": .string(message.event),
                                "payload": .string(message.payload),
                            ]
                            try await outbound.writeTextMessage(json.serialized())
                        }
                    }
                }
                try await withGracefulShutdownHandler {
                    _ = try await group.next()
                } onGracefulShutdown: {
                    ticks.finish()
                }
                group.cancelAll()
            }
        }
    }

    static func subscriptionChange(_ text: String, signedIn: Bool) throws -> (subscribe: Bool, subscription: StreamSubscription) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String, let stream = object["stream"] as? String
        else {
            throw InputError("Send {\"type\": \"subscribe\", \"stream\": \"hashtag\", \"tag\": \"metoo\"}.")
        }
        guard type == "subscribe" || type == "unsubscribe" else { throw InputError("“type” should be subscribe or unsubscribe.") }
        return (type == "subscribe", try StreamSubscription(name: stream, tag: object["tag"] as? String, signedIn: signedIn))
    }
}

/// The streams one WebSocket connection listens to, changed by its subscribe messages.
final class SubscriptionSet: Sendable {
    let value = Mutex<Set<StreamSubscription>>([])
}

/// The request context of WebSocket upgrades (they run outside the page middleware; the token is checked here).
struct StreamingContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<StreamingContext>

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

/// Coalesces one stream's notification pushes per group (a voice's beliefs, a voice's replies, a day's follows): the
/// first is sent at once, the rest within `window` milliseconds are held, and only the newest held one is sent when the
/// window ends. Ungrouped notifications are always sent. Every notification is still in the list and grouped APIs.
final class NotificationPushes: Sendable {
    struct State {
        var lastSent: [String: Int64] = [:]
        var held: [String: String] = [:]
    }

    let window: Int64
    let state = Mutex(State())

    init(window: Int64) { self.window = window }

    /// The payloads to send now, oldest first, from notifications that just arrived (oldest first).
    func admit(_ arrived: [(key: String, payload: String)], now: Int64) -> [String] {
        state.withLock { state in
            var out: [String] = []
            for (key, payload) in arrived {
                if key.hasPrefix("ungrouped-") {
                    out.append(payload)
                } else if let last = state.lastSent[key], now - last < window {
                    state.held[key] = payload
                } else {
                    state.lastSent[key] = now
                    state.held[key] = nil
                    out.append(payload)
                }
            }
            out.append(contentsOf: Self.release(&state, now: now, window: window))
            return out
        }
    }

    /// Held payloads whose window has ended.
    func due(now: Int64) -> [String] {
        state.withLock { Self.release(&$0, now: now, window: window) }
    }

    private static func release(_ state: inout State, now: Int64, window: Int64) -> [String] {
        var out: [String] = []
        for (key, payload) in state.held.sorted(by: { $0.key < $1.key }) where now - (state.lastSent[key] ?? 0) >= window {
            out.append(payload)
            state.lastSent[key] = now
            state.held[key] = nil
        }
        // Groups quiet for a whole window are forgotten, so a long-lived stream holds only what is recent.
        state.lastSent = state.lastSent.filter { now - $0.value < window || state.held[$0.key] != nil }
        return out
    }
}
