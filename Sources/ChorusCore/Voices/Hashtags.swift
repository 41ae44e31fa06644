import Foundation

/// Hashtags in any text, and the ones that carry meaning for Chorus.
public enum Hashtags {
    /// #MeToo and its 2017 equivalents in other languages, in their normalised form.
    public static let meToo: Set<String> = [
        "metoo", "yotambien", "balancetonporc", "quellavoltache", "moiaussi", "ichauch", "eutambem", "niunamenos",
    ]
    /// The hashtags that mark an *I will* pledge.
    public static let pledge: Set<String> = ["iwill", "yomecomprometo", "jemengage", "ichwerde", "eumecomprometo"]
    /// The supporters' answer.
    public static let believe: Set<String> = ["ibelieveyou", "tecreo", "jetecrois", "ichglaubedir", "euteacredito"]

    /// The hashtags of 2017, as people typed them, for links and suggestions.
    public static let campaignTags = [
        "MeToo", "YoTambién", "BalanceTonPorc", "QuellaVoltaChe", "MoiAussi", "IchAuch", "EuTambém", "IWill", "IBelieveYou",
    ]

    public static func isMeToo(_ normalised: String) -> Bool { meToo.contains(normalised) }
    public static func isPledge(_ normalised: String) -> Bool { pledge.contains(normalised) }

    /// The normalised form used for storage and lookup: case- and accent-insensitive, so #YoTambién = #yotambien.
    public static func normalise(_ tag: String) -> String {
        let trimmed = tag.hasPrefix("#") ? String(tag.dropFirst()) : tag
        // Plain ASCII (most tags) needs only lower case; folding accents and widths is for the rest.
        if trimmed.isASCII { return trimmed.lowercased() }
        return trimmed.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
    }

    /// The distinct hashtags in `text`, normalised, in order of first appearance.
    public static func extract(from text: String) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        for (_, name) in occurrences(in: text) {
            let tag = normalise(name)
            if seen.insert(tag).inserted { result.append(tag) }
        }
        return result
    }

    /// Each hashtag as typed (without `#`) with its range in `text`, for linking.
    public static func occurrences(in text: String) -> [(range: Range<String.Index>, name: String)] {
        var found: [(Range<String.Index>, String)] = []
        var from = text.utf8.startIndex
        // Only a "#" can start a hashtag: the text between them is passed over as bytes, not read as characters. A "#"
        // byte that does not start a character of its own (a keycap, "#️⃣") starts no hashtag.
        while let hash = text.utf8[from...].firstIndex(of: UInt8(ascii: "#")) {
            guard let index = String.Index(hash, within: text), text[index] == "#" else {
                from = text.utf8.index(after: hash)
                continue
            }
            let precededByWord = index > text.startIndex && isTagCharacter(text[text.index(before: index)])
            var end = text.index(after: index)
            while end < text.endIndex, isTagCharacter(text[end]) { end = text.index(after: end) }
            let name = text[text.index(after: index)..<end]
            if !precededByWord, !name.isEmpty, name.count <= 100, name.contains(where: { !$0.isNumber && $0 != "_" }) {
                found.append((index..<end, String(name)))
            }
            from = end
        }
        return found
    }

    /// Whether `name` is a valid hashtag name (used for `/tags/NAME`).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.allSatisfy(isTagCharacter) && name.contains(where: { !$0.isNumber && $0 != "_" })
    }

    private static func isTagCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }
}
