import ChorusStore
import ChorusTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import ChorusWeb

/// When a kept answer goes stale, the readers asking for it at that moment wait for one of them to build it again.
@Suite struct ReadCacheCoalescingTests {
    @Test func readersArrivingTogetherShareOneBuildAndAWriteStartsANewOne() async throws {
        // setup: a page that takes a moment to build and counts how often it is built
        let store = try await TestDatabase.freshStore()
        let builds = Atomic<Int>(0)
        let router = Router(context: ChorusContext.self)
        router.add(middleware: SignedOutReadCache(store: store, maxAge: .seconds(60)))
        router.get("/page") { _, _ -> String in
            let build = builds.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(200))
            return "build \(build)"
        }
        let app = Application(router: router)
        try await app.test(.live) { client in
            // act: twenty readers at once, then a write, then twenty more
            let first = try await Self.read(client, times: 20)
            try await store.database.write { db in try await db.raw("SELECT 1").run() }
            let second = try await Self.read(client, times: 20)
            // check
            #expect(first == Array(repeating: "build 1", count: 20))
            #expect(second == Array(repeating: "build 2", count: 20))
            #expect(builds.load(ordering: .relaxed) == 2)
        }
        await store.shutdown()
    }

    private static func read(_ client: some TestClientProtocol, times: Int) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<times {
                group.addTask { try await client.execute(uri: "/page", method: .get) { String(buffer: $0.body) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
