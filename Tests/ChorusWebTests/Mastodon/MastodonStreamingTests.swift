import ChorusTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A Server-Sent Events reader over a plain socket, as a streaming client reads it.
final class EventStreamReader: @unchecked Sendable {
    private let socket: Int32
    private var received = ""

    init(port: Int, path: String, token: String? = nil) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HTTPError(.badGateway, message: "could not connect") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        request += "\r\n"
        _ = request.withCString { Glibc.send(socket, $0, strlen($0), 0) }
    }

    deinit { close(socket) }

    /// Reads until the text seen so far contains `needle` (or the 10-second timeout passes), on a thread of its own:
    /// the server under test shares this process's cooperative threads.
    func read(until needle: String) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.blockingRead(until: needle)) }
        }
    }

    private func blockingRead(until needle: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !received.contains(needle) {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return received
    }
}

/// The streaming API: SSE streams (public, hashtag, user) and the WebSocket with subscribe messages.
@Suite struct MastodonStreamingTests {
    @Test func hashtagAndUserStreamsReceiveUpdatesNotificationsAndDeletions() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let port = try #require(client.port)
            let hashtag = try EventStreamReader(port: port, path: "/api/v1/streaming/hashtag?tag=MeToo")
            let user = try EventStreamReader(port: port, path: "/api/v1/streaming/user", token: ana.token)
            let publicStream = try EventStreamReader(port: port, path: "/api/v1/streaming/public/local")
            #expect(await hashtag.read(until: ":)").contains("200 OK"))
            #expect(await user.read(until: ":)").contains("text/event-stream"))
            _ = await publicStream.read(until: ":)")
            // act
            let voice = try await ana.say("#MeToo streamed")["id"] as? String ?? ""
            let onlyMe = try await ana.say("#MeToo private", [("visibility", "direct")])["id"] as? String ?? ""
            let other = try await bea.say("#IWill listen")["id"] as? String ?? ""
            _ = try await bea.post("/api/v1/statuses/\(voice)/favourite")
            _ = try await ana.delete("/api/v1/statuses/\(onlyMe)")
            _ = try await ana.delete("/api/v1/statuses/\(voice)")
            // check
            let tagged = await hashtag.read(until: "event: delete")
            #expect(tagged.contains("event: update\ndata: {\"id\":\"\(voice)\""))
            #expect(!tagged.contains(onlyMe))
            #expect(!tagged.contains("\"id\":\"\(other)\""))
            #expect(tagged.contains("event: delete\ndata: \(voice)"))
            let home = await user.read(until: "event: notification")
            #expect(home.contains("\"id\":\"\(onlyMe)\""))
            #expect(home.contains("\"type\":\"favourite\""))
            #expect(await user.read(until: "event: delete\ndata: \(onlyMe)").contains("event: delete\ndata: \(onlyMe)"))
            let everyone = await publicStream.read(until: "\"id\":\"\(other)\"")
            #expect(everyone.contains("\"id\":\"\(other)\""))
            #expect(!everyone.contains(onlyMe))
        }
    }

    /// Apps are told what an erasure or a thread's deletion takes away (they kept showing it): the person's public
    /// voices and the replies in their public threads, never their anonymous voices (that would tie them together).
    @Test func erasingAnAccountOrAThreadTellsTheStreamsWhatWent() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let port = try #require(client.port)
            let publicStream = try EventStreamReader(port: port, path: "/api/v1/streaming/public")
            _ = await publicStream.read(until: ":)")
            let named = try await ana.say("#MeToo mine")["id"] as? String ?? ""
            let anonymous = try await ana.say("#MeToo hidden", [("chorus_anonymous", "true")])["id"] as? String ?? ""
            let reply = try await bea.say("I believe you", [("in_reply_to_id", named)])["id"] as? String ?? ""
            let beasThread = try await bea.say("#MeToo bea's")["id"] as? String ?? ""
            let answer = try await ana.say("I believe you too", [("in_reply_to_id", beasThread)])["id"] as? String ?? ""
            _ = await publicStream.read(until: "\"id\":\"\(answer)\"")
            // act
            _ = try await bea.delete("/api/v1/statuses/\(beasThread)")
            var browser = Browser(client)
            try await browser.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            try await browser.post("/account/delete", [("voices", "erase"), ("password", "correct horse battery")])
            // check
            // The erasure tells its deletions newest first, each on its own (one NOTIFY each on PostgreSQL): wait for both.
            _ = await publicStream.read(until: "event: delete\ndata: \(reply)")
            let events = await publicStream.read(until: "event: delete\ndata: \(named)")
            #expect(events.contains("event: delete\ndata: \(beasThread)"))
            #expect(events.contains("event: delete\ndata: \(answer)"))
            #expect(events.contains("event: delete\ndata: \(named)"))
            #expect(events.contains("event: delete\ndata: \(reply)"))
            #expect(!events.contains("event: delete\ndata: \(anonymous)"))
        }
    }

    /// A full suspension takes the account's public voices, and the replies in its threads, from apps' streams; a quiet
    /// one (through an anonymous voice) announces only that voice, which is all anyone could tie to it.
    @Test func aSuspensionTellsTheStreamsWhatWent() async throws {
        // setup
        let (app, chorus) = try await ModeratedChorus.make()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let port = try #require(client.port)
            let publicStream = try EventStreamReader(port: port, path: "/api/v1/streaming/public")
            _ = await publicStream.read(until: ":)")
            let named = try await ana.say("#MeToo mine")["id"] as? String ?? ""
            let other = try await ana.say("#MeToo another")["id"] as? String ?? ""
            let reply = try await bea.say("I believe you", [("in_reply_to_id", named)])["id"] as? String ?? ""
            let beas = try await bea.say("#MeToo bea's")["id"] as? String ?? ""
            _ = await publicStream.read(until: "\"id\":\"\(beas)\"")
            var reporter = Browser(client)
            try await reporter.signUp("cal")
            try await reporter.post("/report", [("voice", named), ("category", "spam"), ("note", "")])
            var mod = Browser(client)
            try await mod.signUp("mod")
            try await chorus.makeModerator("mod")
            let queue = try await mod.get("/moderation")
            let reportID = try #require(Browser.id(after: "/moderation/reports/", in: queue.body))
            // act
            let suspended = try await mod.decide("/moderation/reports/\(reportID)", action: "suspend", rule: "2", reason: "Spam.")
            // check
            #expect(suspended.status == .seeOther)
            // the reported voice is announced last (the others newest first)
            let events = await publicStream.read(until: "event: delete\ndata: \(named)")
            #expect(events.contains("event: delete\ndata: \(named)"))
            #expect(events.contains("event: delete\ndata: \(other)"))
            #expect(events.contains("event: delete\ndata: \(reply)"))
            #expect(!events.contains("event: delete\ndata: \(beas)"))
        }
    }

    @Test func aUserStreamEndsWhenItsTokenIsRevokedAndCarriesNothingAfter() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let bea = try await MastodonClient.signedUp(client, "bea")
            let voice = try await ana.say("#MeToo")["id"] as? String ?? ""
            let port = try #require(client.port)
            let user = try EventStreamReader(port: port, path: "/api/v1/streaming/user", token: ana.token)
            _ = await user.read(until: ":)")
            // act: the app is signed out; a second later someone believes Ana
            let revoked = try await ana.post(
                "/oauth/revoke", form: [("client_id", ana.clientID), ("client_secret", ana.clientSecret), ("token", ana.token ?? "")])
            try await Task.sleep(for: .milliseconds(1_100))
            _ = try await bea.post("/api/v1/statuses/\(voice)/favourite")
            // check: the stream ends (the last chunk of the response) without the notification
            let after = await user.read(until: "\r\n0\r\n\r\n")
            #expect(revoked.status == .ok)
            #expect(after.hasSuffix("\r\n0\r\n\r\n"))
            #expect(!after.contains("event: notification"))
        }
    }

    @Test func userStreamNeedsAToken() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            // act
            let user = try await MastodonClient(client).get("/api/v1/streaming/user")
            let noTag = try await MastodonClient(client).get("/api/v1/streaming/hashtag")
            // check
            #expect(user.status == .unauthorized)
            #expect(noTag.status == .unprocessableContent)
        }
    }

    @Test func webSocketSubscribesToAHashtagAndReceivesAnUpdate() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            let ana = try await MastodonClient.signedUp(client, "ana")
            let port = try #require(client.port)
            let received = Mutex<[String]>([])
            // act
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/streaming?access_token=\(ana.token ?? "")", logger: Logger(label: "ws-test")
            ) { inbound, outbound, _ in
                try await outbound.writeTextMessage(#"{"type":"subscribe","stream":"hashtag","tag":"metoo"}"#)
                try await outbound.writeTextMessage(#"{"type":"subscribe","stream":"nowhere"}"#)
                try await Task.sleep(for: .milliseconds(300))
                _ = try await ana.say("#MeToo over a websocket")
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    received.withLock { $0.append(text) }
                    if text.hasPrefix(#"{"stream":["hashtag","metoo"],"event":"update""#) { break }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            // check
            let messages = received.withLock { $0 }
            #expect(messages.contains { $0.contains("\"status\":400") })
            // the loop stops at the update, so it is the last message
            let update = messages.last ?? ""
            #expect(messages.count >= 2, "\(messages)")
            #expect(update.contains(#""stream":["hashtag","metoo"]"#), "\(messages.map { $0.prefix(60) })")
            #expect(update.contains("over a websocket"))
        }
    }
}
