import ChorusCore
import ChorusStore
import Foundation
import Synchronization

/// The published totals as server-sent events, shared by every open page: one read of the store per change (changes
/// that arrive during a read are merged into the next one), fanned out to all listeners. It runs only while someone listens.
final class MagnitudeFeed: Sendable {
    /// Sent again this often when nothing changes, so a closed page is noticed and proxies keep the stream open.
    static let keepAlive: Duration = .seconds(20)

    private let store: ChorusStore
    private let live: LiveEvents
    private let state = Mutex(State())

    private struct State {
        var listeners: [UUID: AsyncStream<String>.Continuation] = [:]
        var loop: Task<Void, Never>?
        var latest: String?
    }

    init(store: ChorusStore, live: LiveEvents) {
        self.store = store
        self.live = live
    }

    /// The totals now, as one server-sent event.
    func event(now: Int64 = ChorusDatabase.now()) async throws -> String {
        let magnitude = try await store.publishedMagnitude(now: now)
        return "event: magnitude\ndata: \(MagnitudeJSON.totals(magnitude))\n\n"
    }

    /// Every change from now on (the newest only, if a page reads slowly).
    func listen() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { state in
            state.listeners[id] = continuation
            if state.loop == nil {
                // Subscribed here, before the task starts, so no change between now and the loop's start is missed.
                let changes = live.subscribe()
                state.loop = Task { [self] in await run(changes) }
            }
        }
        continuation.onTermination = { [weak self] _ in self?.stopListening(id) }
        return stream
    }

    var listenerCount: Int { state.withLock { $0.listeners.count } }

    private func stopListening(_ id: UUID) {
        let loop = state.withLock { state -> Task<Void, Never>? in
            state.listeners.removeValue(forKey: id)
            guard state.listeners.isEmpty else { return nil }
            defer { state.loop = nil }
            return state.loop
        }
        loop?.cancel()
    }

    private func run(_ changes: AsyncStream<LiveEvent>) async {
        let (pending, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await change in changes where change.kind == .magnitude { signal.yield() }
                signal.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.keepAlive)
                    signal.yield()
                }
            }
            for await _ in pending {
                guard let event = try? await event() else { continue }
                let listeners = state.withLock { state in
                    state.latest = event
                    return Array(state.listeners.values)
                }
                for listener in listeners { listener.yield(event) }
            }
            group.cancelAll()
        }
    }
}
