import Foundation

/// The sentences ChorusCore and ChorusStore write in English (an `InputError`'s or a `Refusal`'s message), in one other
/// language.
///
/// The domain speaks no language but English, so a page translates its message when showing it: each key of
/// `Strings/LANG/sentences.json` is an English sentence, with `{0}`, `{1}`… where the domain fills in a number or a name
/// ("Your story is {0} characters long; the limit is {1}."), and its value is the sentence in that language with the same
/// places. A sentence with no translation is shown as it is, in English.
struct Sentences: Sendable {
    static let file = "sentences.json"

    /// An English sentence with places: its fixed parts, and which place comes after each of them.
    private struct Pattern: Sendable {
        let parts: [String]
        let places: [Int]
        let translation: String
    }

    private let whole: [String: String]
    private let patterns: [Pattern]

    init(translations: [String: String]) {
        var whole: [String: String] = [:]
        var patterns: [Pattern] = []
        for (english, translation) in translations {
            let (parts, places) = Self.split(english)
            if places.isEmpty {
                whole[english] = translation
            } else {
                patterns.append(Pattern(parts: parts, places: places, translation: translation))
            }
        }
        self.whole = whole
        // Longest first, so a sentence matches its most specific pattern ("There is no rule {0}. Choose…" before "There
        // is no rule {0}.").
        self.patterns = patterns.sorted { $0.parts.joined().count > $1.parts.joined().count }
    }

    func translate(_ english: String) -> String {
        if let translation = whole[english] { return translation }
        for pattern in patterns {
            guard let values = Self.match(english, pattern) else { continue }
            var text = pattern.translation
            for (place, value) in zip(pattern.places, values) { text = text.replacingOccurrences(of: "{\(place)}", with: value) }
            return text
        }
        return english
    }

    /// "A is {0}; B is {1}." → (["A is ", "; B is ", "."], [0, 1]).
    private static func split(_ sentence: String) -> ([String], [Int]) {
        var parts: [String] = []
        var places: [Int] = []
        var rest = Substring(sentence)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}"),
            let place = Int(rest[rest.index(after: open)..<close])
        {
            parts.append(String(rest[..<open]))
            places.append(place)
            rest = rest[rest.index(after: close)...]
        }
        parts.append(String(rest))
        return (parts, places)
    }

    /// The values in `sentence` at the pattern's places, if it is that pattern's sentence.
    private static func match(_ sentence: String, _ pattern: Pattern) -> [String]? {
        guard let first = pattern.parts.first, let last = pattern.parts.last, sentence.hasPrefix(first), sentence.hasSuffix(last),
            sentence.count >= first.count + last.count
        else { return nil }
        var rest = sentence.dropFirst(first.count).dropLast(last.count)
        var values: [String] = []
        for part in pattern.parts.dropFirst().dropLast() {
            guard !part.isEmpty, let range = rest.range(of: part) else { return nil }
            values.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        values.append(String(rest))
        return values.contains(where: \.isEmpty) ? nil : values
    }
}
