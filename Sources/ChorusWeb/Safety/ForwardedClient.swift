import HTTPTypes
import NIOCore

/// Who a request comes from, for the per-client limits: the connection's peer, or, when the peer is a reverse proxy on
/// this machine (a loopback address, as in docs/nginx-chorus.conf), the client that proxy names.
///
/// Behind a proxy every connection comes from 127.0.0.1, so everyone shared one set of limits: five sign-ups an hour
/// for the whole instance, and one person's wrong passwords locked everybody out. The proxy's `X-Real-IP` (else the
/// last hop of `X-Forwarded-For`, the one the proxy added) names the client. Only a proxy on this machine is believed:
/// anyone else could write the headers. The address is only ever hashed, in memory (`AddressFingerprint`).
enum ForwardedClient {
    static let realIP = HTTPField.Name("X-Real-IP")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func address(peer: SocketAddress?, headers: HTTPFields) -> SocketAddress? {
        guard let peer, isLoopback(peer) else { return peer }
        let named = headers[realIP] ?? headers[forwardedFor]?.split(separator: ",").last.map(String.init)
        guard let text = named?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            let client = try? SocketAddress(ipAddress: text, port: 0)
        else { return peer }
        return client
    }

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: return address.ipAddress?.hasPrefix("127.") == true
        case .v6: return address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: return true
        }
    }
}
