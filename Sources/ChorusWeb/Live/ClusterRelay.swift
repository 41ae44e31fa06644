import ChorusCore
import ChorusStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Carries live events between Chorus instances that share one PostgreSQL: each event published here is sent
/// with NOTIFY; each one from another instance is delivered to this instance's subscribers. After a dropped
/// connection it catches up: the totals, and any voice published while it was away.
struct ClusterRelay: Service {
    static let channel = "chorus_live"
    let origin = UUID().uuidString
    let channel: PostgresChannel
    let live: LiveEvents
    let store: ChorusStore
    let logger: Logger

    /// What crosses the wire: the events published since the last message, and the instance they came from.
    struct Message: Codable {
        let origin: String
        let events: [LiveEvent]
    }

    /// NOTIFY takes payloads under 8,000 bytes; a message is kept under this.
    static let largestPayload = 7_000

    init?(store: ChorusStore, live: LiveEvents, logger: Logger) throws {
        guard let channel = PostgresChannel(database: store.database, name: Self.channel, logger: logger) else { return nil }
        self.channel = channel
        self.live = live
        self.store = store
        self.logger = logger
    }

    func run() async throws {
        let lastVoice = LastVoiceSeen()
        let delivered = RecentVoices()
        // The events that gathered while one message was being sent go in the next (one NOTIFY for the voice and the
        // totals a write changed, and far fewer round trips when many people write at once).
        let waiting = live.relayOutbound()
        let sender = Task {
            sending: for await _ in waiting {
                let events = live.takeOutbound()
                for event in events where event.kind == .voice { if let id = event.voiceID { delivered.insert(id) } }
                for payload in Self.payloads(events, origin: origin) {
                    do {
                        try await store.notify(channel: Self.channel, payload: payload)
                    } catch is CancellationError {
                        break sending  // shutting down: the relay was asked to stop
                    } catch {
                        logger.warning("A live update could not be sent to other instances: \(String(reflecting: error))")
                    }
                }
            }
        }
        await cancelWhenGracefulShutdown {
            await channel.listen(
                connected: { isReconnection in
                    if isReconnection {
                        await catchUp(after: lastVoice.value, skipping: delivered)
                    } else if let newest = try? await store.newestVoices(viewer: nil, page: PageRequest(limit: 1)).first {
                        // What to catch up from after a drop, even if no voice from another instance has come yet.
                        lastVoice.update(newest.id)
                    }
                },
                received: { payload in
                    guard let message = try? JSONDecoder().decode(Message.self, from: Data(payload.utf8)), message.origin != origin else { return }
                    store.database.noteChange()  // what signed-out readers were answered from memory may be out of date
                    for event in message.events {
                        if let id = event.voiceID, event.kind == .voice {
                            lastVoice.update(id)
                            delivered.insert(id)
                        }
                        live.deliverLocally(event)
                    }
                }
            )
        }
        // The database closes after this service ends: an announcement still being sent must end first, but not hold
        // the shutdown for good (a statement on a connection PostgreSQL cut can wait forever): after 2 s it is left.
        sender.cancel()
        await Self.waitForEnd(of: sender, upTo: .seconds(2))
    }

    /// Waits for `task` to end, or for `limit`, whichever comes first; the task is left running.
    static func waitForEnd(of task: Task<Void, Never>, upTo limit: TimeAmount) async {
        _ = try? await ChorusDatabase.withDeadline(limit, on: MultiThreadedEventLoopGroup.singleton.any(), onGiveUp: { _ in }) { await task.value }
    }

    /// The events as messages from `origin` (a UUID), each under `largestPayload`, in order; totals that changed more than
    /// once are told once.
    static func payloads(_ events: [LiveEvent], origin: String) -> [String] {
        var events = events
        if let last = events.lastIndex(where: { $0.kind == .magnitude }) {
            events = events.enumerated().filter { $0.element.kind != .magnitude || $0.offset == last }.map(\.element)
        }
        // Each event is encoded once; a message is those of its events, between the same head and tail.
        let head = #"{"origin":"\#(origin)","events":["#
        let encoder = JSONEncoder()
        var payloads: [String] = []
        var current = ""
        for event in events {
            guard let json = try? String(decoding: encoder.encode(event), as: UTF8.self) else { continue }
            if !current.isEmpty, head.utf8.count + current.utf8.count + json.utf8.count + 3 > Self.largestPayload {
                payloads.append(head + current + "]}")
                current = ""
            }
            current += current.isEmpty ? json : "," + json
        }
        if !current.isEmpty { payloads.append(head + current + "]}") }
        return payloads
    }

    /// Publishes locally what other instances announced while this one was not listening; not what this instance's
    /// streams already had (its own voices: they were sent twice).
    private func catchUp(after voiceID: Int64, skipping delivered: RecentVoices) async {
        live.deliverLocally(LiveEvent(kind: .magnitude))
        guard voiceID > 0, let missed = try? await store.newestVoices(viewer: nil, page: PageRequest(sinceID: voiceID, limit: PageRequest.maxLimit))
        else {
            return
        }
        for voice in missed.reversed() where !delivered.contains(voice.id) {
            delivered.insert(voice.id)
            live.deliverLocally(LiveEvent(kind: .voice, voiceID: voice.id, tags: voice.hashtags, isListed: voice.visibility.isListed))
        }
    }
}

/// The voices this instance's streams have had lately (its own and others'), so a catch-up sends none twice.
final class RecentVoices: Sendable {
    private static let kept = 2_000
    private let storage = Mutex<(ids: Set<Int64>, order: [Int64])>(([], []))

    func insert(_ id: Int64) {
        storage.withLock { recent in
            guard recent.ids.insert(id).inserted else { return }
            recent.order.append(id)
            if recent.order.count > Self.kept {
                recent.ids.remove(recent.order.removeFirst())
            }
        }
    }

    func contains(_ id: Int64) -> Bool { storage.withLock { $0.ids.contains(id) } }
}

/// The newest voice id this instance has heard of, for catching up.
private final class LastVoiceSeen: Sendable {
    private let storage = Mutex<Int64>(0)
    var value: Int64 { storage.withLock { $0 } }
    func update(_ id: Int64) { storage.withLock { $0 = max($0, id) } }
}
