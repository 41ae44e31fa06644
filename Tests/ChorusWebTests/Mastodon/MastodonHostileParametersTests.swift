import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What schemathesis found (e2e/test_openapi_fuzz.py): API parameters that made the server crash or answer 500.
@Suite struct MastodonHostileParametersTests {
    @Test func aHugeOffsetIsAnEmptyPageNotACrash() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            _ = try await ana.say("#MeToo")
            let huge = "9223372036854775807"
            // act
            let trends = try await ana.get("/api/v1/trends/tags?offset=\(huge)")
            let oldTrends = try await ana.get("/api/v1/trends?offset=\(huge)&limit=\(huge)")
            let search = try await ana.get("/api/v2/search?q=metoo&offset=\(huge)")
            let accounts = try await ana.get("/api/v1/accounts/search?q=ana&offset=\(huge)&limit=-\(huge)")
            let after = try await ana.get("/api/v2/search?q=ana&type=accounts")
            // check
            #expect(trends.status == .ok && trends.list.isEmpty)
            #expect(oldTrends.status == .ok && oldTrends.list.isEmpty)
            #expect(search.status == .ok)
            #expect((search["hashtags"] as? [Any])?.isEmpty == true)
            #expect(accounts.status == .ok && accounts.list.isEmpty)
            #expect(after.status == .ok)
            #expect((after["accounts"] as? [[String: Any]])?.first?["username"] as? String == "ana")
        }
    }

    @Test func aNullCharacterInAnyParameterIsRefusedWithWords() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let anonymous = MastodonClient(client)
            // act
            let appName = try await anonymous.post("/api/v1/apps", form: [("client_name", "my\u{0}app")])
            let website = try await anonymous.post("/api/v1/apps", form: [("client_name", "my app"), ("website", "https://a\u{0}b")])
            let token = try await anonymous.post(
                "/oauth/token", form: [("grant_type", "password"), ("client_id", "a\u{0}b"), ("client_secret", "c")])
            let basic = try await anonymous.request(
                .post, "/oauth/token", body: "grant_type=client_credentials", contentType: "application/x-www-form-urlencoded",
                headers: [.authorization: "Basic " + Data("a\u{0}b:c".utf8).base64EncodedString()])
            let authorize = try await client.execute(uri: "/oauth/authorize?client_id=a%00b&response_type=code", method: .get)
            let search = try await ana.get("/api/v2/search?q=me%00too")
            let accounts = try await ana.get("/api/v1/accounts/search?q=a%00")
            let status = try await ana.post("/api/v1/statuses", json: ##"{"status": "#MeToo\u0000", "spoiler_text": "x"}"##)
            let warning = try await ana.post("/api/v1/statuses", form: [("status", "#MeToo"), ("spoiler_text", "\u{0}")])
            let types = try await ana.get("/api/v1/notifications?types[]=favourite%00")
            let stillWorks = try await ana.get("/api/v2/search?q=ana")
            // check
            #expect(appName.status == .unprocessableContent)
            #expect(appName.error.contains("“client_name” contains an invisible null character"))
            #expect(website.status == .unprocessableContent)
            #expect(token.status == .unprocessableContent)
            #expect(token.error.contains("client_id"))
            #expect(basic.status == .unauthorized)
            #expect(basic.error == "invalid_client")
            #expect(authorize.status == .unprocessableContent)
            #expect(search.status == .unprocessableContent)
            #expect(search.error.contains("“q”"))
            #expect(accounts.status == .unprocessableContent)
            #expect(status.status == .unprocessableContent)
            #expect(status.error.contains("“status”"))
            #expect(warning.status == .unprocessableContent)
            #expect(types.status == .unprocessableContent)
            #expect(stillWorks.status == .ok)
        }
    }
}

extension MastodonHostileParametersTests {
    @Test func aMultipartStatusKeepsItsLastLetterAndAnEmptyPartIsNoCrash() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            func multipart(_ value: String) -> String {
                "--XyZ\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\n\(value)\r\n--XyZ--\r\n"
            }
            let type = "multipart/form-data; boundary=XyZ"
            // act
            let status = try await ana.request(.post, "/api/v1/statuses", body: multipart("#MeToo by multipart"), contentType: type)
            let empty = try await ana.request(.post, "/api/v1/statuses", body: multipart(""), contentType: type)
            let health = try await client.execute(uri: "/health", method: .get)
            // check
            #expect(status.status == .ok)
            #expect((status["content"] as? String)?.contains("by multipart</p>") == true)
            #expect(empty.status == .unprocessableContent)
            #expect(health.status == .ok)
        }
    }
}
