import ChorusTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A flood of connections beyond what the server holds at once gets a calm 503 and is closed, and a connection is
/// served again as soon as one closes: the open-file limit is never reached.
@Suite struct ConnectionLimitTests {
    @Test func aConnectionBeyondTheLimitIsAskedToTryAgainAndOneIsServedWhenAnotherCloses() async throws {
        // setup: a server that holds three connections at once: the test client's own, and two idle clients
        let app = try await makeApp { $0.maxConnections = 3 }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let first = try await RawConnection.open(port: port)
            let second = try await RawConnection.open(port: port)
            try await Task.sleep(for: .milliseconds(100))
            // act
            let third = try await RawConnection.open(port: port)
            let refused = try await third.ask("GET /health HTTP/1.1\r\nHost: chorus\r\n\r\n")
            await first.close()
            try await Task.sleep(for: .milliseconds(100))
            let fourth = try await RawConnection.open(port: port)
            let served = try await fourth.ask("GET /health HTTP/1.1\r\nHost: chorus\r\n\r\n")
            // check
            #expect(refused.hasPrefix("HTTP/1.1 503"))
            #expect(refused.contains("Retry-After: 60"))
            #expect(refused.contains("Chorus is very busy right now and can't take another connection. Please try again in a minute."))
            #expect(served.hasPrefix("HTTP/1.1 200"))
            await second.close()
            await third.close()
            await fourth.close()
        }
    }

    @Test func aClientThatHangsUpBeforeAskingIsLetGoWithoutAnErrorLogged() async throws {
        // setup
        let logs = CapturedLogs()
        let app = try await makeApp { $0.logger = logs.logger() }
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // act: ten clients connect and hang up without a request, as a load tool does at the end of a run
            for _ in 0..<10 {
                let silent = try await RawConnection.open(port: port)
                await silent.close()
            }
            try await Task.sleep(for: .milliseconds(300))
            let served = try await RawConnection.open(port: port).ask("GET /health HTTP/1.1\r\nHost: chorus\r\n\r\n")
            // check
            #expect(served.hasPrefix("HTTP/1.1 200"))
            let errors = logs.text.split(separator: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("critical") }
            #expect(errors.isEmpty, "\(errors)")
        }
    }
}
