import ChorusCore
import ChorusStore
import ChorusTestSupport
import Testing

/// What an API token grants, read in one statement with its app and account: nothing once the account is suspended
/// or deleted.
@Suite struct TokenGrantTests {
    @Test func aTokenGrantsItsAccountUntilTheAccountIsSuspendedOrDeleted() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let bea = try await store.createAccount(handle: try Handle("bea"), passwordHash: "x", recoveryCodes: [])
        let mod = try await store.createAccount(handle: try Handle("mod"), passwordHash: "x", recoveryCodes: [], isModerator: true)
        let app = try await store.createApp(
            clientID: "client", clientSecret: "secret", name: "Toot", website: "https://example.org", redirectURIs: ["urn:ietf:wg:oauth:2.0:oob"],
            scopes: OAuthScopes(["read", "write"]))
        _ = try await store.createToken("ana-token", app: app, accountID: ana.id, scopes: OAuthScopes(["read", "write"]))
        _ = try await store.createToken("bea-token", app: app, accountID: bea.id, scopes: OAuthScopes(["read"]))
        _ = try await store.createToken("app-token", app: app, accountID: nil, scopes: OAuthScopes(["read"]))
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: bea.id).voice
        // act
        let granted = try await store.grant(token: "ana-token")
        let appOnly = try await store.grant(token: "app-token")
        let unknown = try await store.grant(token: "no-such-token")
        try await store.act(try ModerationDecision(action: .suspend, rule: "1", reason: "test"), on: .voice(voice.id), by: mod.id)
        let suspended = try await store.grant(token: "bea-token")
        try await store.deleteAccount(id: ana.id, voices: .keepAnonymously)
        let deleted = try await store.grant(token: "ana-token")
        // check
        #expect(granted?.account?.id == ana.id)
        #expect(granted?.account?.handle == "ana")
        #expect(granted?.app == app)
        #expect(granted?.scopes == OAuthScopes(["read", "write"]))
        #expect(appOnly != nil)
        #expect(appOnly?.account == nil)
        #expect(appOnly?.app.id == app.id)
        #expect(unknown == nil)
        #expect(suspended == nil)
        #expect(deleted == nil)
        await store.shutdown()
    }
}
