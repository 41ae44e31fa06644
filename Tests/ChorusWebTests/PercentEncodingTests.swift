import Foundation
import Testing

@testable import ChorusWeb

/// Chorus's percent-encoding writes the same addresses as Foundation's, with the same sets (texts with ":" included).
@Suite struct PercentEncodingTests {
    /// Random texts over ASCII, Latin letters with accents, combining marks, CJK, Arabic, emoji, letters beyond the
    /// Basic Multilingual Plane, and the characters that must be encoded.
    static let texts: [String] = {
        let pool = (0..<128).compactMap { Unicode.Scalar($0) } + Array("éßÜñ\u{301}\u{308}語ل١💜🇫🇷\u{1D400}\u{10400}\u{200D}\u{FE0F}²Ⅻ".unicodeScalars)
        var generator = SystemRandomNumberGenerator()
        let random = (0..<3_000).map { _ in
            String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0...24, using: &generator)).map { _ in pool[Int.random(in: 0..<pool.count, using: &generator)] }))
        }
        return random + ["metoo", "MeToo", "ibelieveyou", "über", "yo_también", "a b", "100%", "", "[x]", "~.-_"]
    }()

    @Test func aQueryComponentOrATagIsEncodedAsFoundationEncodesIt() {
        let set = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~[]"))
        for text in Self.texts {
            #expect(PercentEncoding.component.encode(text) == text.addingPercentEncoding(withAllowedCharacters: set), "\(text.debugDescription)")
        }
    }

    @Test func aPathIsEncodedAsFoundationEncodesIt() {
        for text in Self.texts {
            #expect(
                PercentEncoding.path.encode(text) == text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed), "\(text.debugDescription)")
        }
    }
}
