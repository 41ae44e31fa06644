import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Pages kept in memory for signed-out visitors: each visitor still gets their own CSRF token, and a write shows at once.
@Suite struct SignedOutPagesCacheTests {
    @Test func eachVisitorGetsTheirOwnTokenFromAKeptPageAndCanSendItsForms() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var first = Browser(client)
            var second = Browser(client)
            // act
            let firstPage = try await first.get("/signup")
            let secondPage = try await second.get("/signup")
            let joined = try await second.signUp("second_visitor")
            // check
            let firstToken = try #require(first.cookies["chorus_csrf"])
            let secondToken = try #require(second.cookies["chorus_csrf"])
            #expect(firstToken != secondToken)
            #expect(firstPage.body.contains(firstToken) && !firstPage.body.contains(secondToken))
            #expect(secondPage.body.contains(secondToken) && !secondPage.body.contains(firstToken))
            #expect(joined.status == .created)
        }
    }

    @Test func aNewVoiceIsOnTheHomePageForTheNextVisitorAtOnce() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            _ = try await visit(client, "/")
            // act
            _ = try await ana.sayMeToo("a voice said just now")
            let home = try await visit(client, "/")
            let signedIn = try await ana.get("/")
            // check
            #expect(home.body.contains("a voice said just now"))
            #expect(signedIn.body.contains("a voice said just now"))
            #expect(!home.body.contains(">Sign out<") && signedIn.body.contains(">Sign out<"))
        }
    }
}
