import ChorusCore
import ChorusStore
import Foundation
import Logging
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

    /// What crosses the wire: the event and the instance it came from.
    struct Message: Codable {
        let origin: String
        let event: LiveEvent
    }

    init?(store: ChorusStore, live: LiveEvents, logger: Logger) throws {
        guard let channel = try PostgresChannel(engine: store.database.engine, name: Self.channel, logger: logger) else { return nil }
        self.channel = channel
        self.live = live
        self.store = store
        self.logger = logger
    }

    func run() async throws {
        let lastVoice = LastVoiceSeen()
        let outbound = live.subscribeLocalOnly()
        let sender = Task {
            for await event in outbound {
                guard let payload = try? String(decoding: JSONEncoder().encode(Message(origin: origin, event: event)), as: UTF8.self) else {
                    continue
                }
                do {
                    try await store.notify(channel: Self.channel, payload: payload)
                } catch is CancellationError {
                    break  // shutting down: the relay was asked to stop
                } catch {
                    logger.warning("A live update could not be sent to other instances: \(String(reflecting: error))")
                }
            }
        }
        await cancelWhenGracefulShutdown {
            await channel.listen(
                connected: { isReconnection in
                    if isReconnection { await catchUp(after: lastVoice.value) }
                },
                received: { payload in
                    guard let message = try? JSONDecoder().decode(Message.self, from: Data(payload.utf8)), message.origin != origin else { return }
                    store.database.noteChange()  // what signed-out readers were answered from memory may be out of date
                    if let id = message.event.voiceID, message.event.kind == .voice { lastVoice.update(id) }
                    live.deliverLocally(message.event)
                }
            )
        }
        // The database closes after this service ends: an announcement still being sent must end first.
        sender.cancel()
        await sender.value
    }

    /// Publishes locally what other instances announced while this one was not listening.
    private func catchUp(after voiceID: Int64) async {
        live.deliverLocally(LiveEvent(kind: .magnitude))
        guard voiceID > 0, let missed = try? await store.newestVoices(viewer: nil, page: PageRequest(sinceID: voiceID, limit: PageRequest.maxLimit))
        else {
            return
        }
        for voice in missed.reversed() {
            live.deliverLocally(LiveEvent(kind: .voice, voiceID: voice.id, tags: voice.hashtags, isListed: voice.visibility.isListed))
        }
    }
}

/// The newest voice id this instance has heard of, for catching up.
private final class LastVoiceSeen: Sendable {
    private let storage = Mutex<Int64>(0)
    var value: Int64 { storage.withLock { $0 } }
    func update(_ id: Int64) { storage.withLock { $0 = max($0, id) } }
}
