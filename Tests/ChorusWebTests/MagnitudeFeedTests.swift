import ChorusCore
import ChorusStore
import ChorusTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import ChorusWeb

/// The live totals shared by every open page: a page that goes away is let go at once, and pages that open while the
/// feed runs are sent the totals it last sent, one read for all.
@Suite struct MagnitudeFeedTests {
    @Test func aClosedConnectionIsLetGoAtOnceAndTheLastOneStopsTheFeed() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let live = LiveEvents()
        let feed = MagnitudeFeed(store: store, live: live)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let connections = (0..<3).map { _ in eventLoop.makePromise(of: Void.self) }
        var streams: [AsyncStream<ByteBuffer>] = []
        for connection in connections {
            let (first, changes) = try await feed.listen(until: connection.futureResult)
            #expect(String(buffer: first).hasPrefix("event: magnitude\ndata: {"))
            streams.append(changes)
        }
        #expect(feed.listenerCount == 3)
        #expect(live.subscriberCount == 1)  // the feed's one subscription, however many pages
        // act: two connections close
        connections[0].succeed()
        connections[1].succeed()
        // check: let go without a write to notice it
        try await waitUntil { feed.listenerCount == 1 }
        #expect(live.subscriberCount == 1)
        // act: the last one closes
        connections[2].succeed()
        // check: the feed stops listening to changes
        try await waitUntil { feed.listenerCount == 0 && live.subscriberCount == 0 }
        for stream in streams {
            for await _ in stream {}  // every stream has ended
        }
        await store.shutdown()
    }

    @Test func aPageThatOpensWhileTheFeedRunsIsSentWhatItLastSentWithoutAReadOfItsOwn() async throws {
        // setup: one page listening, and the totals the feed sent it
        let store = try await TestDatabase.freshStore()
        let live = LiveEvents()
        let feed = MagnitudeFeed(store: store, live: live)
        let (_, changes) = try await feed.listen()
        var iterator = changes.makeAsyncIterator()
        let sent = try #require(await iterator.next())
        // act: with the database gone, a read would fail
        await store.shutdown()
        let (first, secondPage) = try await feed.listen()
        // check
        #expect(first == sent)
        #expect(String(buffer: first).hasPrefix("event: magnitude\ndata: {"))
        withExtendedLifetime(secondPage) { #expect(feed.listenerCount == 2) }
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(3)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("The condition did not hold within 3 seconds.")
                return
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
