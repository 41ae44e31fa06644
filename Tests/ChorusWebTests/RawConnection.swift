import NIOCore
import NIOPosix

/// A plain TCP connection that sends nothing until asked.
struct RawConnection {
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
