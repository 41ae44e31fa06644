import ChorusCore
import ChorusStore
import Foundation
import NIOCore
import Synchronization

/// The published totals as server-sent events, shared by every open page: one read of the store per change (changes
/// that arrive during a read are merged into the next one), fanned out to all listeners as the same bytes. A page that
/// opens gets the totals last sent, not a read of its own, so ten thousand pages opening at once cost one read. It runs
/// only while someone listens.
final class MagnitudeFeed: Sendable {
    /// Sent again this often when nothing changes, so a closed page is noticed and proxies keep the stream open.
    static let keepAlive: Duration = .seconds(20)

    private let store: ChorusStore
    private let live: LiveEvents
    private let state = Mutex(State())

    private struct State {
        var listeners: [UUID: AsyncStream<ByteBuffer>.Continuation] = [:]
        var loop: Task<Void, Never>?
        /// The event last sent to every listener, while the loop runs (it is the newest: the loop sets it and sends it
        /// under one lock, and a listener joins under the same lock).
        var latest: ByteBuffer?
        /// The read a listener waits on when nothing was sent yet, shared by all who arrive meanwhile (until the loop
        /// sends, or the read fails).
        var firstRead: Task<ByteBuffer, any Error>?
    }

    /// What a page that opens is sent first: what was sent last, or the read under way.
    private enum First {
        case sent(ByteBuffer)
        case reading(Task<ByteBuffer, any Error>)
    }

    init(store: ChorusStore, live: LiveEvents) {
        self.store = store
        self.live = live
    }

    /// The totals now, as one server-sent event.
    func event(now: Int64 = ChorusDatabase.now()) async throws -> ByteBuffer {
        let magnitude = try await store.publishedMagnitude(now: now)
        return ByteBuffer(string: "event: magnitude\ndata: \(MagnitudeJSON.totals(magnitude))\n\n")
    }

    /// The totals now, then every change (the newest only, if a page reads slowly) until the page goes away: when the
    /// consumer stops, or when `closed` completes (the connection closed; nothing else would notice until the next
    /// write).
    func listen(until closed: EventLoopFuture<Void>? = nil) async throws -> (first: ByteBuffer, changes: AsyncStream<ByteBuffer>) {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        let first = state.withLock { state -> First in
            state.listeners[id] = continuation
            if state.loop == nil {
                // Subscribed here, before the task starts, so no change between now and the loop's start is missed.
                let changes = live.subscribe()
                state.loop = Task { [self] in await run(changes) }
            }
            if let latest = state.latest { return .sent(latest) }
            let read = state.firstRead ?? Task { [self] in try await event() }
            state.firstRead = read
            return .reading(read)
        }
        continuation.onTermination = { [weak self] _ in self?.stopListening(id) }
        closed?.whenComplete { _ in continuation.finish() }
        switch first {
        case .sent(let event):
            return (event, stream)
        case .reading(let read):
            do {
                return (try await read.value, stream)
            } catch {
                state.withLock { if $0.firstRead == read { $0.firstRead = nil } }  // the next page reads again
                continuation.finish()
                throw error
            }
        }
    }

    var listenerCount: Int { state.withLock { $0.listeners.count } }

    private func stopListening(_ id: UUID) {
        let loop = state.withLock { state -> Task<Void, Never>? in
            state.listeners.removeValue(forKey: id)
            guard state.listeners.isEmpty else { return nil }
            // Nobody listens: the loop stops, and what it sent last will not be kept up to date.
            defer {
                state.loop = nil
                state.latest = nil
                state.firstRead = nil
            }
            return state.loop
        }
        loop?.cancel()
    }

    private func run(_ changes: AsyncStream<LiveEvent>) async {
        let (pending, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        signal.yield()  // the first totals, for the pages that open while the loop runs
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
                guard !Task.isCancelled else { break }
                guard let event = try? await event() else { continue }
                let listeners = state.withLock { state -> [AsyncStream<ByteBuffer>.Continuation] in
                    guard !Task.isCancelled else { return [] }
                    state.latest = event
                    state.firstRead = nil
                    return Array(state.listeners.values)
                }
                for listener in listeners { listener.yield(event) }
            }
            group.cancelAll()
        }
    }
}
