import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// HTTP/1 with the streaming API's WebSocket upgrade, guarded until each connection's first request head arrives.
///
/// Until then the upgrade negotiation holds the connection, and two hostile inputs would hold it forever: a request
/// that can't be parsed (a control character in a header, a broken request line) gets no answer, and a connection that
/// sends nothing, or a head a byte at a time, is never timed out. The guard answers the first with a 400 and closes
/// the connection, and closes the second after `firstRequestTimeout`. Once a head arrives it steps aside: Hummingbird
/// answers later parse errors itself, and its idle timeout covers the time between requests.
///
/// It also counts the open connections. One beyond `OpenConnections.limit` is answered 503 at its first request and
/// closed (a few seconds at most); one far beyond is closed at once.
struct GuardedHTTP1WebSocketChannel: ServerChildChannel {
    let upgrading: HTTP1WebSocketUpgradeChannel
    let firstRequestTimeout: TimeAmount
    let connections: OpenConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1WebSocketUpgradeChannel.Value> {
        let admission = connections.admit(channel)
        guard admission != .closed else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        return upgrading.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let refused = admission != .served
            // In the pipeline: decoder, first-request guard, body guard, then Hummingbird's handlers.
            try channel.pipeline.syncOperations.addHandler(RequestBodyGuard(timeout: firstRequestTimeout), position: .after(decoder.handler))
            try channel.pipeline.syncOperations.addHandler(
                FirstRequestGuard(timeout: refused ? .seconds(5) : firstRequestTimeout, refuses: refused), position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: HTTP1WebSocketUpgradeChannel.Value, logger: Logger) async {
        await upgrading.handle(value: value, logger: logger)
    }

    /// Sets up one connection's pipeline on an in-memory channel before the server accepts any. The Swift runtime
    /// builds the pipeline's generic types on first use; two event loops doing it at once for the first two
    /// connections crashed it once (a crash-safety restart: a null dereference in `swift_getGenericMetadata` while the
    /// other loop filled the same cache). Built here, on one thread, they are only looked up later.
    func warmUp() {
        let channel = EmbeddedChannel()
        _ = setup(channel: channel, logger: Logger(label: "chorus.warm-up"))
        _ = try? channel.finish()
    }
}

extension HTTPServerBuilder {
    /// `http1WebSocketUpgrade(webSocketRouter:configuration:)`, with the first request guarded (see `GuardedHTTP1WebSocketChannel`).
    static func guardedHTTP1WebSocketUpgrade<WSResponderBuilder: HTTPResponderBuilder>(
        webSocketRouter: WSResponderBuilder, idleTimeout: Duration, firstRequestTimeout: Duration, connections: OpenConnections
    ) -> HTTPServerBuilder where WSResponderBuilder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            let child = GuardedHTTP1WebSocketChannel(
                upgrading: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(http1: .init(idleTimeout: TimeAmount(idleTimeout)))),
                firstRequestTimeout: TimeAmount(firstRequestTimeout),
                connections: connections
            )
            child.warmUp()
            return child
        }
    }
}

/// The connections open in this process, against the most it serves at once.
final class OpenConnections: Sendable {
    enum Admission { case served, refused, closed }

    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Counts `channel` until it closes, and says whether it is served, answered 503, or closed at once (beyond the
    /// room kept for the 503 answers themselves).
    func admit(_ channel: any Channel) -> Admission {
        let now = open.add(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        if now <= limit { return .served }
        return now <= limit + max(16, limit / 16) ? .refused : .closed
    }

    var count: Int { open.load(ordering: .relaxed) }

    /// What the open-file limit leaves room for, after raising it as far as the system allows: a quarter of the files
    /// (at most 1,024) stays for the database, the logs, and the connections answered 503.
    static func limitFromOpenFiles() -> Int {
        #if canImport(Glibc)
            let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            var files = rlimit()
            guard getrlimit(openFiles, &files) == 0 else { return 1_024 }
            if files.rlim_cur < files.rlim_max {
                files.rlim_cur = files.rlim_max
                _ = setrlimit(openFiles, &files)
                _ = getrlimit(openFiles, &files)
            }
            let available = Int(clamping: files.rlim_cur)
            return available - min(1_024, available / 4)
        #else
            return 1_024
        #endif
    }
}

/// Gives each request's body `timeout` to arrive, from its head to its end, and closes the connection otherwise.
///
/// A body sent a byte at a time held its connection for as long as the client liked: Hummingbird reads (or drains)
/// the body, and every byte restarted the idle timeout. A request asking for a WebSocket upgrade has no body; the guard
/// steps aside at its head, before the connection stops speaking HTTP.
final class RequestBodyGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if head.headers.contains(name: "upgrade") {
                context.fireChannelRead(data)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }
}

/// Sits right after the HTTP decoder until the first request head passes, then removes itself.
final class FirstRequestGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let unreadable = "This request could not be read. Check the request line and headers for characters that are not allowed.\n"
    static let busy = "Chorus is very busy right now and can't take another connection. Please try again in a minute.\n"

    private let timeout: TimeAmount
    /// Answers the first request 503 (the server is at its limit of connections) instead of passing it on.
    private let refuses: Bool
    private var deadline: Scheduled<Void>?
    private var answered = false

    init(timeout: TimeAmount, refuses: Bool = false) {
        self.timeout = timeout
        self.refuses = refuses
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead = if case .head = unwrapInboundIn(data) { true } else { false }
        if refuses {
            if isHead { answer(context, .serviceUnavailable, Self.busy, retryAfter: 60) }
            return
        }
        if isHead {
            deadline?.cancel()
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    /// A client that hangs up before asking anything is gone: nothing to answer, and its connection is let go at once
    /// (connections are half-closable, so the hang-up alone would not close it). The hang-up is passed on first, so the
    /// upgrade handler waiting for a request ends quietly instead of logging an error for the closed connection.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, !answered {
            deadline?.cancel()
            context.fireUserInboundEventTriggered(event)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else { return context.fireErrorCaught(error) }
        answer(context, .badRequest, Self.unreadable)
    }

    /// Answers `text` with `status` once, then closes the connection.
    private func answer(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String, retryAfter: Int? = nil) {
        guard !answered else { return }
        answered = true
        deadline?.cancel()
        var body = context.channel.allocator.buffer(capacity: text.utf8.count)
        body.writeString(text)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: "close")
        if let retryAfter { headers.add(name: "Retry-After", value: String(retryAfter)) }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
    }
}
