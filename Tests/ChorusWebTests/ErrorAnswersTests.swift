import ChorusTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ChorusStore
@testable import ChorusWeb

/// What a request that could not be finished is answered: never a 500 for the database being away or the server
/// stopping, and always words a person can act on.
@Suite struct ErrorAnswersTests {
    @Test func aRequestGivenUpWhileTheServerStopsIsA503ThatSaysSo() {
        let (status, message) = ErrorMiddleware.describe(CancellationError())
        #expect(status == .serviceUnavailable)
        #expect(message.contains("stopping"))
        #expect(message.contains("Nothing you already shared is lost"))
    }

    @Test func aDatabaseWaitPastItsLimitIsA503AboutStorage() {
        let (status, message) = ErrorMiddleware.describe(TimeLimitReached())
        #expect(status == .serviceUnavailable)
        #expect(message.contains("storage is unavailable"))
    }

    @Test func anOutageIsLoggedOnceEveryIntervalWithTheFailuresInBetween() {
        // setup
        let log = OutageLog(interval: .seconds(10))
        let start = ContinuousClock.now
        // act: a failure, four more within the interval, one after it, one more soon after
        let first = log.admit(at: start)
        let within = (1...4).map { log.admit(at: start + .seconds($0)) }
        let after = log.admit(at: start + .seconds(12))
        let soonAfter = log.admit(at: start + .seconds(13))
        // check
        #expect(first == 0)
        #expect(within == [nil, nil, nil, nil])
        #expect(after == 4)
        #expect(soonAfter == nil)
    }

    @Test func anythingUnforeseenIsACalm500() {
        struct Unforeseen: Error {}
        let (status, message) = ErrorMiddleware.describe(Unforeseen())
        #expect(status == .internalServerError)
        #expect(message.contains("Nothing you did caused this"))
    }
}

/// Once SQLite's log can't be synced to the disk, writes stop until a restart: the health check says so, so that a
/// supervisor or a load balancer sees what people meet (it answered OK while every write was refused).
@Suite(.enabled(if: !TestDatabase.isPostgres, "the WAL is SQLite's")) struct StoppedWritesTests {
    @Test func theHealthCheckFailsOnceWritesHaveStopped() async throws {
        // setup
        var path = ""
        let app = try await makeApp { config in path = String((config.databaseURL ?? "").dropFirst("sqlite://".count)) }
        let wal = path + "-wal"
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let healthyBefore = try await client.execute(uri: "/health", method: .get)
            // act: the log goes missing under the writer, as on a failing disk
            try FileManager.default.removeItem(atPath: wal)
            let refused = try await ana.post("/say", [("text", "me too"), ("visibility", "public"), ("reply_policy", "everyone")])
            let health = try await client.execute(uri: "/health", method: .get)
            // check
            #expect(healthyBefore.status == .ok)
            #expect(refused.status == .serviceUnavailable)
            #expect(health.status == .serviceUnavailable)
        }
    }
}
