import ChorusCore
import Foundation
import NIOCore
import Synchronization

/// Something that happened, for pages and apps listening live.
public struct LiveEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// A new voice, pledge or reply that others may see.
        case voice
        /// A voice was deleted.
        case deleted
        /// The totals changed.
        case magnitude
        /// Someone has a new notification (`accountID`); only their own streams hear of it.
        case notification
    }

    public let kind: Kind
    /// The voice concerned, when there is one.
    public let voiceID: Int64?
    /// Hashtags of the voice (normalised), for hashtag streams.
    public let tags: [String]
    /// Whether everyone may see it (public and anonymous voices).
    public let isListed: Bool
    /// The account a `.notification` is for.
    public let accountID: Int64?

    public init(kind: Kind, voiceID: Int64? = nil, tags: [String] = [], isListed: Bool = true, accountID: Int64? = nil) {
        self.kind = kind
        self.voiceID = voiceID
        self.tags = tags
        self.isListed = isListed
        self.accountID = accountID
    }
}

/// Fans events out to every subscriber in this process. Each subscriber has a bounded buffer: a slow one
/// misses old events rather than holding memory for everyone.
public final class LiveEvents: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<LiveEvent>.Continuation]>([:])
    /// Events published in this process and not yet taken by the relay to other instances (the newest 4,096).
    private let outbound = Mutex<Outbound?>(nil)

    private struct Outbound {
        static let limit = 4_096
        var events = CircularBuffer<LiveEvent>(initialCapacity: 16)
        let wake: AsyncStream<Void>.Continuation
    }

    public init() {}

    /// Announces an event to this instance's subscribers and, through the relay, to every other instance.
    public func publish(_ event: LiveEvent) {
        deliverLocally(event)
        let wake = outbound.withLock { outbound -> AsyncStream<Void>.Continuation? in
            guard var current = outbound.take() else { return nil }
            // A ring: while the relay is behind, the oldest event gives way in constant time.
            if current.events.count == Outbound.limit { current.events.removeFirst() }
            current.events.append(event)
            outbound = current
            return current.wake
        }
        wake?.yield()
    }

    /// Announces an event to this instance's subscribers only (events that came from another instance).
    public func deliverLocally(_ event: LiveEvent) {
        let current = subscribers.withLock { Array($0.values) }
        for continuation in current { continuation.yield(event) }
    }

    /// For the one relay that forwards the events published in this process: a wake-up whenever some wait, to be taken
    /// all at once with `takeOutbound()` (one message for all that gathered while the last was being sent).
    func relayOutbound() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        outbound.withLock { $0 = Outbound(wake: continuation) }
        return stream
    }

    /// The events waiting for the relay, oldest first; none wait after.
    func takeOutbound() -> [LiveEvent] {
        outbound.withLock { outbound in
            // Copied out before the ring is emptied, so emptying it does not copy the ring first.
            let events = Array(outbound?.events ?? [])
            outbound?.events.removeAll(keepingCapacity: true)
            return events
        }
    }

    /// A stream of events from now on; it ends its subscription when the consumer stops.
    public func subscribe() -> AsyncStream<LiveEvent> {
        let (stream, continuation) = AsyncStream<LiveEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
