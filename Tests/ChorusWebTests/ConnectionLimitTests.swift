import ChorusTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
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
}

/// A plain TCP connection that sends nothing until asked.
private struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func open(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return RawConnection(channel: channel)
    }

    /// Sends `request` and returns what came back before the answer was complete (or the connection closed), within 5 s.
    func ask(_ request: String) async throws -> String {
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ""
            let deadline = ContinuousClock.now + .seconds(5)
            for try await chunk in inbound {
                received += String(buffer: chunk)
                if received.contains("\r\n\r\n"), received.hasSuffix("\n") || received.contains("OK") { break }
                if ContinuousClock.now > deadline { break }
            }
            return received
        }
    }

    func close() async {
        try? await channel.channel.close()
    }
}
