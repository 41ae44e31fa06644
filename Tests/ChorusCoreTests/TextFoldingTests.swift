import Foundation
import Testing

@testable import ChorusCore

/// The reply guard's and the crisis detector's readings of a text skip Foundation for ASCII text, and read every text
/// exactly as Foundation's folding does.
@Suite struct TextFoldingTests {
    /// Every ASCII character, 2,000 random ASCII texts, and texts with accents, "ß", typographic apostrophes and emoji.
    static let texts: [String] = {
        var generator = SystemRandomNumberGenerator()
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        let random = (0..<2_000).map { _ in
            String(
                (0..<Int.random(in: 0...60, using: &generator)).map { _ in Character(UnicodeScalar(UInt8.random(in: 0...127, using: &generator))) })
        }
        let others = [
            "Straße", "STRASSE ẞ", "Ça va? NÃO, não.", "Übel, ÜBEL", "it\u{2019}s NOT your fault", "je te crois 💜", "ﬁne", "İstanbul",
            "e\u{301}cole", "Ñandú", "ΣΊΣΥΦΟΣ",
        ]
        return ascii + random + others
    }()

    @Test func theGuardsFoldingIsFoundations() {
        for text in Self.texts {
            let reference = text.lowercased().replacingOccurrences(of: "ß", with: "ss").decomposedStringWithCanonicalMapping
            #expect(ReplyText.folded(text).unicodeScalars.elementsEqual(reference.unicodeScalars), "\(text.debugDescription)")
        }
    }

    @Test func theCrisisDetectorsFoldingIsFoundations() {
        for text in Self.texts {
            let reference = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            let apostrophes: Set<Unicode.Scalar> = ["\u{2019}", "\u{2018}", "\u{00B4}", "\u{02BC}"]
            let plain = String(String.UnicodeScalarView(reference.unicodeScalars.map { apostrophes.contains($0) ? "'" : $0 }))
            // Then each run of white space is one space or one line break (`singleSpaced`, tested on its own).
            let expected = CrisisReading.singleSpaced(plain)
            #expect(CrisisReading.fold(text).unicodeScalars.elementsEqual(expected.unicodeScalars), "\(text.debugDescription)")
        }
    }
}
