import ChorusCore
import Crypto
import Foundation
import NIOCore
import Synchronization

/// What rate limits key on instead of a network address: HMAC-SHA256 of the address under a random key that lives only
/// in this process's memory and is replaced every day. Nothing here is ever written down; after a day, or a restart,
/// yesterday's fingerprints cannot be linked to anyone, even by someone holding the database and the logs.
public final class AddressFingerprint: Sendable {
    /// One per process: every request's context uses it.
    public static let shared = AddressFingerprint()

    private let state: Mutex<(key: SymmetricKey, day: Int)>
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date = Date.init) {
        self.clock = clock
        self.state = Mutex((SymmetricKey(size: .bits256), Self.day(of: clock())))
    }

    static func day(of date: Date) -> Int { Int(date.timeIntervalSince1970 / 86_400) }

    /// The fingerprint of a peer's address (hex), or of "no address" when the connection has none.
    func fingerprint(_ address: SocketAddress?) -> String {
        var bytes: [UInt8] = []
        switch address {
        case .v4(let v4): withUnsafeBytes(of: v4.address.sin_addr) { bytes = Array($0) }
        case .v6(let v6): withUnsafeBytes(of: v6.address.sin6_addr) { bytes = Array($0) }
        case .unixDomainSocket, .none: bytes = []
        }
        return fingerprint(bytes: bytes)
    }

    /// The fingerprint of an address written as text ("127.0.0.1", "::1"); for tests that look for it where it must not be.
    public func fingerprint(ipAddress: String) -> String {
        fingerprint((try? SocketAddress(ipAddress: ipAddress, port: 0)))
    }

    func fingerprint(bytes: [UInt8]) -> String {
        let today = Self.day(of: clock())
        // The key never leaves the lock; a new random one replaces it when the day has changed.
        let code = state.withLock { (state: inout (key: SymmetricKey, day: Int)) -> [UInt8] in
            if state.day != today { state = (SymmetricKey(size: .bits256), today) }
            return Array(HMAC<SHA256>.authenticationCode(for: bytes, using: state.key))
        }
        return code.hexDigits
    }

    /// The day the current key belongs to (rate limit windows reset with it).
    var keyDay: Int { state.withLock { $0.day } }
}
