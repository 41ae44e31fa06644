import ChorusCore
import Foundation
import NIOCore
import Testing

@testable import ChorusWeb

/// What one instance sends the others: the events of a busy moment in few messages, none too long for NOTIFY.
@Suite struct ClusterRelayTests {
    @Test func manyEventsGoInFewMessagesUnderTheLimitInOrderWithTheTotalsOnce() throws {
        // setup: 300 voices, each with the totals changed after it
        let origin = UUID().uuidString
        let voices = (1...300).map { LiveEvent(kind: .voice, voiceID: Int64($0), tags: ["metoo", "ibelieveyou"]) }
        let events = voices.flatMap { [$0, LiveEvent(kind: .magnitude)] }
        // act
        let payloads = ClusterRelay.payloads(events, origin: origin)
        let messages = try payloads.map { try JSONDecoder().decode(ClusterRelay.Message.self, from: Data($0.utf8)) }
        // check
        #expect(payloads.count > 1 && payloads.count < 20)
        #expect(payloads.allSatisfy { $0.utf8.count <= ClusterRelay.largestPayload })
        #expect(messages.allSatisfy { $0.origin == origin })
        #expect(messages.flatMap(\.events) == voices + [LiveEvent(kind: .magnitude)])
        #expect(ClusterRelay.payloads([], origin: origin).isEmpty)
    }

    @Test func aSendThatNeverEndsDoesNotHoldTheShutdown() async {
        // setup
        let clock = ContinuousClock()
        let start = clock.now
        // act: a send that never ends on its own, waited for 50 ms
        let send = Task { _ = try? await Task.sleep(for: .seconds(3_600)) }
        await ClusterRelay.waitForEnd(of: send, upTo: .milliseconds(50))
        // check
        #expect(clock.now - start < .seconds(30))
        send.cancel()
    }
}
