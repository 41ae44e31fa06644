extension Migration {
    /// `oauth_codes.code_challenge`: the S256 challenge an app sent with its authorization request (PKCE); the code is
    /// then redeemed only with the verifier it was made from, so an app that intercepts the redirect can't use it.
    static let m0018ProofKeyForCodes = Migration(number: 18, name: "proof_key_for_codes") { _ in
        ["ALTER TABLE oauth_codes ADD COLUMN code_challenge TEXT"]
    }
}
