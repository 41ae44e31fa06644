import Crypto
import Foundation

/// PKCE (RFC 7636) with the S256 method, the one Mastodon offers: an app sends the challenge with its authorization
/// request, and later the verifier the challenge was made from.
public enum ProofKey {
    /// The one method accepted.
    public static let method = "S256"

    /// base64url, without padding, of the SHA-256 of the verifier.
    public static func challenge(of verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether a challenge is shaped as S256 gives it: 43 characters of base64url.
    public static func isWellFormed(_ challenge: String) -> Bool {
        challenge.utf8.count == 43
            && challenge.utf8.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
            }
    }
}
