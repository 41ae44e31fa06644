import Hummingbird
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

    @Test func anythingUnforeseenIsACalm500() {
        struct Unforeseen: Error {}
        let (status, message) = ErrorMiddleware.describe(Unforeseen())
        #expect(status == .internalServerError)
        #expect(message.contains("Nothing you did caused this"))
    }
}
