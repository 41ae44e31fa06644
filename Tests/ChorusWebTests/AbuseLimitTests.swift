import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Brigading and guessing are slowed down by limits kept in the database (so every instance shares them), keyed by
/// handle or account, never by address; each answers 429 with a calm message and `Retry-After`.
@Suite struct AbuseLimitTests {
    @Test func repeatedWrongPasswordsForOneHandleAreSlowedDown() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var guesser = Browser(client)
            // act
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<11 {
                statuses.append(try await guesser.post("/signin", [("handle", "ana"), ("password", "guess number \(attempt)")]).status)
            }
            let blocked = try await guesser.post("/signin", [("handle", "ANA"), ("password", "correct horse battery")])
            let otherHandle = try await guesser.post("/signin", [("handle", "bea"), ("password", "whatever it is")])
            // check
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.body.contains("at most 15 minutes"))
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(otherHandle.status == .unauthorized)
        }
    }

    /// Apps sign in with the password grant: its wrong passwords count toward the same per-account limit as the web
    /// form's (they were never counted, so an app could guess without end). What was typed as a handle is not kept.
    @Test func wrongPasswordsFromAppsCountTowardTheSameLimitAndNothingTypedIsKept() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            var app = MastodonClient(client)
            try await app.registerApp()
            var stranger = Browser(client)
            // act
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<11 {
                statuses.append(
                    try await app.post(
                        "/oauth/token",
                        form: [
                            ("grant_type", "password"), ("username", "ana"), ("password", "guess number \(attempt)"), ("client_id", app.clientID),
                            ("client_secret", app.clientSecret), ("scope", "read"),
                        ]
                    ).status)
            }
            let onTheWeb = try await ana.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let typedAnAddress = try await stranger.post("/signin", [("handle", "maria.lopez@example.org"), ("password", "whatever")])
            let typedAPassword = try await stranger.post("/signin", [("handle", "Tr0ub4dor-and-3"), ("password", "")])
            // check
            #expect(statuses.prefix(10).allSatisfy { $0 == .badRequest })
            #expect(statuses.last == .tooManyRequests)
            #expect(onTheWeb.status == .tooManyRequests)
            #expect(typedAnAddress.status == .unauthorized)
            #expect(typedAPassword.status == .unauthorized)
        }
        let stored = try await NoAddressTests.storedText(setup)
        #expect(stored.lowercased().contains("maria.lopez") == false)
        #expect(stored.lowercased().contains("tr0ub4dor") == false)
        await setup.store.shutdown()
    }

    /// Behind a reverse proxy on this machine every connection comes from 127.0.0.1: the client is the one the proxy
    /// names, or everyone would share one set of limits (five sign-ups an hour for the whole instance).
    @Test func behindAProxyOnThisMachineEachClientHasItsOwnLimits() async throws {
        // setup
        let app = try await makeApp { $0.rateLimits = RateLimits(signIn: nil, signUp: .init(2, per: 3600), posting: nil) }
        try await app.test(.live) { client in
            func visitor(_ address: String, header: String = "X-Real-IP") -> Browser {
                var browser = Browser(client)
                browser.extraHeaders[HTTPField.Name(header)!] = address
                return browser
            }
            // act
            var statuses: [HTTPResponse.Status] = []
            for (index, address) in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "2001:db8::4"].enumerated() {
                var person = visitor(address)
                statuses.append(try await person.signUp("person\(index)").status)
            }
            var sameClient = [visitor("198.51.100.7"), visitor("10.0.0.1, 198.51.100.7", header: "X-Forwarded-For"), visitor("198.51.100.7")]
            var again: [HTTPResponse.Status] = []
            for index in sameClient.indices { again.append(try await sameClient[index].signUp("again\(index)").status) }
            // check
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(again.prefix(2).allSatisfy { $0 == .created }, "\(again)")
            #expect(again.last == .tooManyRequests)
        }
    }

    @Test func postingIsLimitedPerAccount() async throws {
        // setup
        let app = try await makeApp { $0.postingLimit = 3 }
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            // act
            var statuses: [HTTPResponse.Status] = []
            for number in 0..<4 { statuses.append(try await ana.sayMeToo("voice \(number)").0.status) }
            var bea = Browser(client)
            try await bea.signUp("bea")
            let other = try await bea.sayMeToo("mine").0
            // check
            #expect(statuses == [.created, .created, .created, .tooManyRequests])
            #expect(other.status == .created)
        }
    }

    @Test func floodOfRepliesFromNewAccountsToOneVoiceIsSlowedDown() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voice = try #require(try await ana.sayMeToo("me too").1)
            // act
            var statuses: [HTTPResponse.Status] = []
            for number in 0..<11 {
                var newcomer = Browser(client)
                try await newcomer.signUp("new\(number)")
                statuses.append(try await newcomer.post("/voices/\(voice)/reply", [("text", "I believe you, truly.")]).status)
            }
            let own = try await ana.post("/voices/\(voice)/reply", [("text", "Thank you all.")])
            // check
            #expect(statuses.prefix(10).allSatisfy { $0 == .seeOther })
            #expect(statuses.last == .tooManyRequests)
            #expect(own.status == .seeOther)
        }
    }
}
