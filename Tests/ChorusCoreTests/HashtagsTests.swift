import Testing

@testable import ChorusCore

/// Hashtags as people type them: #MeToo marks a voice, in any case and with or without accents.
@Suite struct HashtagsTests {
    @Test(arguments: [
        ("#MeToo", ["metoo"]),
        ("me too #MeToo #metoo", ["metoo"]),
        ("##MeToo", ["metoo"]),
        ("#MeToo#IWill", ["metoo"]),
        ("word#tag and #YoTambién.", ["yotambien"]),
        ("#123 #_ #2017_ #", []),
        ("#私も and #IchAuch!", ["私も", "ichauch"]),
        ("keycap #️⃣ then #IWill", ["iwill"]),
        ("\u{0600}#MeToo", []),
        ("#" + String(repeating: "a", count: 101) + " #ok", ["ok"]),
    ])
    func extractsTheDistinctTagsInOrder(text: String, tags: [String]) {
        #expect(Hashtags.extract(from: text) == tags)
    }

    @Test func findsWhatReadingEveryCharacterFinds() {
        // The former way read the text a character at a time; the pieces are the cases where bytes and characters differ.
        let pieces = ["#", "MeToo", " ", "é", "e\u{301}", "#️⃣", "\u{0600}", "_", "7", "私", "👩🏽", ".", "\n", "a"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let found = Hashtags.occurrences(in: text)
            let expected = Self.occurrencesReadingEveryCharacter(in: text)
            #expect(found.map(\.range) == expected.map(\.range), "\(text.debugDescription)")
            #expect(found.map(\.name) == expected.map(\.name), "\(text.debugDescription)")
        }
    }

    /// Hashtags found by reading each character in turn.
    private static func occurrencesReadingEveryCharacter(in text: String) -> [(range: Range<String.Index>, name: String)] {
        func isTagCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }
        var found: [(Range<String.Index>, String)] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index] == "#" else {
                index = text.index(after: index)
                continue
            }
            let precededByWord = index > text.startIndex && isTagCharacter(text[text.index(before: index)])
            var end = text.index(after: index)
            while end < text.endIndex, isTagCharacter(text[end]) { end = text.index(after: end) }
            let name = text[text.index(after: index)..<end]
            if !precededByWord, !name.isEmpty, name.count <= 100, name.contains(where: { !$0.isNumber && $0 != "_" }) {
                found.append((index..<end, String(name)))
            }
            index = end
        }
        return found
    }
}
