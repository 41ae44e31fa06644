import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// API requests are limited per account, as Mastodon does (300 per 5 minutes by default), told in headers, and
/// refused with a calm 429 that says how long to wait.
@Suite struct MastodonRateLimitTests {
    @Test func eachAccountHasItsOwnAllowanceOfAPIRequests() async throws {
        // setup
        let app = try await makeApp { $0.rateLimits = RateLimits(signIn: nil, signUp: nil, posting: nil, api: .init(4, per: 300)) }
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")  // verify_credentials used one request
            let ben = try await MastodonClient.signedUp(client, "ben")
            // act
            var answers: [APIReply] = []
            for _ in 0..<4 { answers.append(try await ana.get("/api/v1/timelines/home")) }
            let bens = try await ben.get("/api/v1/timelines/home")
            // check
            #expect(answers[0].status == .ok)
            #expect(answers[0].headers[HTTPField.Name("X-RateLimit-Limit")!] == "4")
            #expect(answers[0].headers[HTTPField.Name("X-RateLimit-Remaining")!] == "2")
            #expect(answers[2].status == .ok)
            #expect(answers[2].headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            #expect(answers[3].status == .tooManyRequests)
            #expect(answers[3].error.contains("Please wait about 5 minutes"))
            #expect(Int(answers[3].headers[.retryAfter] ?? "") ?? 0 > 200)
            #expect(bens.status == .ok, "another account is not slowed down by ana's requests")
        }
    }

    @Test func requestsWithoutATokenAreCountedPerClientEvenWhenAnsweredFromMemory() async throws {
        // setup
        let app = try await makeApp { $0.rateLimits = RateLimits(signIn: nil, signUp: nil, posting: nil, api: .init(3, per: 60)) }
        try await app.test(.live) { client in
            let visitor = MastodonClient(client)
            // act
            let first = try await visitor.get("/api/v1/timelines/public")
            let again = try await visitor.get("/api/v1/timelines/public")  // the same answer, kept in memory
            let other = try await visitor.get("/api/v1/instance")
            let refused = try await visitor.get("/api/v1/timelines/public")
            // check
            let remaining = HTTPField.Name("X-RateLimit-Remaining")!
            #expect([first.status, again.status, other.status] == [.ok, .ok, .ok])
            #expect([first.headers[remaining], again.headers[remaining], other.headers[remaining]] == ["2", "1", "0"])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.error.contains("Please wait about 1 minute,"))
        }
    }

    @Test func theLimitIsReadFromTheCommandLine() {
        #expect(RateLimits.parse("api=100/60")?.api == .init(100, per: 60))
        #expect(RateLimits.parse("posting=5/60")?.api == RateLimits.standard.api)
        #expect(RateLimits.standard.api == .init(300, per: 300))
        #expect(RateLimits.parse("api=off")?.api == nil)
    }
}
