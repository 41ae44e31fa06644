import ChorusStore
import Testing

/// Tokens and codes are stored as their SHA-256 in lowercase hex: the form must never change, or every stored token
/// would stop working.
@Suite struct TokenDigestTests {
    @Test func digestIsLowercaseHexSHA256() {
        #expect(ChorusStore.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ChorusStore.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
