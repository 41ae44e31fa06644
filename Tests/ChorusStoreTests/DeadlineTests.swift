import ChorusStore
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// `ChorusDatabase.withDeadline`: a wait on the database ends with its body, at its limit, or when its task is
/// cancelled, whichever comes first, and the one that ends it is the only one that answers.
///
/// The checks are on outcomes, not on elapsed time: under the parallel test run, other suites' work can hold the
/// cooperative threads for many seconds.
@Suite struct DeadlineTests {
    private let eventLoop = MultiThreadedEventLoopGroup.singleton.any()

    /// Stands for a statement on a connection PostgreSQL cut: nothing ends it from outside (it is not the caller's task),
    /// and it takes far longer than any check here waits.
    private static func waitForever() async throws -> Int {
        try await Task.sleep(for: .seconds(20))
        return 0
    }

    @Test func aBodyThatEndsInTimeIsAnsweredAndNothingIsGivenUp() async throws {
        let givenUp = Mutex<[String]>([])
        let value = try await ChorusDatabase.withDeadline(
            .seconds(3600), on: eventLoop, onGiveUp: { reason in givenUp.withLock { $0.append("\(reason)") } }
        ) { 42 }
        #expect(value == 42)
        #expect(givenUp.withLock { $0 }.isEmpty)
    }

    @Test func aBodyPastItsLimitIsGivenUpOnceWithTimeLimitReached() async throws {
        let givenUp = Mutex<[String]>([])
        await #expect(throws: TimeLimitReached.self) {
            try await ChorusDatabase.withDeadline(
                .milliseconds(100), on: eventLoop, onGiveUp: { reason in givenUp.withLock { $0.append("\(type(of: reason))") } }
            ) {
                try await Self.waitForever()
            }
        }
        #expect(givenUp.withLock { $0 } == ["TimeLimitReached"])
    }

    @Test func aCancelledWaitEndsAtOnceWithCancellationErrorAndIsGivenUpOnce() async throws {
        // setup
        let givenUp = Mutex<[String]>([])
        // act: the limit is an hour away; the task is cancelled after 100 ms
        let wait = Task {
            try await ChorusDatabase.withDeadline(
                .seconds(3600), on: eventLoop, onGiveUp: { reason in givenUp.withLock { $0.append("\(type(of: reason))") } }
            ) {
                try await Self.waitForever()
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        wait.cancel()
        let outcome = await wait.result
        // check: answered by the cancellation (a body left to end would have answered 0 after 20 s)
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(givenUp.withLock { $0 } == ["CancellationError"])
    }

    @Test func aTaskCancelledBeforeItWaitsIsAnsweredAsSoonAsItDoes() async throws {
        let givenUp = Mutex<[String]>([])
        let wait = Task {
            // cancelled before the wait begins: the cancellation handler runs before the continuation is handed over
            while !Task.isCancelled { await Task.yield() }
            return try await ChorusDatabase.withDeadline(
                .seconds(3600), on: eventLoop, onGiveUp: { reason in givenUp.withLock { $0.append("\(type(of: reason))") } }
            ) {
                try await Self.waitForever()
            }
        }
        wait.cancel()
        let outcome = await wait.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(givenUp.withLock { $0 } == ["CancellationError"])
    }
}
