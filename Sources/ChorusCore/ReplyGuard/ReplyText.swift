import Foundation

/// A reply folded into comparable word tokens: lower case, accents and apostrophes dropped, "?" kept as a token.
///
/// Masked insults are read as what they stand for: a starred word ("b*tch", "f***ing") becomes the first masked word
/// it fits (masked-words.json), and a bracketed placeholder ("[slur]", "[insulto]") becomes `maskedInsult`.
///
/// Mirrors `tokens()` in tools/ngram_features.py (both trainers use it); change both together.
struct ReplyText: Sendable {
    /// The tokens, e.g. "It's NOT your fault?" -> ["its", "not", "your", "fault", "?"].
    let tokens: [String]
    /// For each token, whether it stands inside quotation marks (a quoted abuser is not the writer speaking).
    let quoted: [Bool]
    /// For each token, whether a sentence or clause ends right after it (".", ";", "!", "?", a new line; commas do not).
    let breakAfter: [Bool]

    init(_ text: String) {
        var tokens: [String] = []
        var quoted: [Bool] = []
        var breakAfter: [Bool] = []
        var current = String.UnicodeScalarView()
        var inQuote = false
        var startedAfterStar = false
        var previous: Unicode.Scalar = " "
        var bracketOpenedAt: Int?
        func flush() {
            if !current.isEmpty {
                tokens.append(Self.unmasked(String(current), startedAfterStar: startedAfterStar))
                quoted.append(inQuote)
                breakAfter.append(false)
                current = String.UnicodeScalarView()
            }
        }
        let folded = Self.folded(text)
        for scalar in folded.unicodeScalars {
            defer { previous = scalar }
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "`", "\u{00B4}":
                continue
            case "?":
                flush()
                current.append(scalar)
                flush()
                breakAfter[breakAfter.count - 1] = true
            case "\"", "\u{201C}", "\u{201D}", "\u{201E}", "\u{00AB}", "\u{00BB}":
                flush()
                inQuote.toggle()
            case "*" where current.last.map { !("0"..."9").contains($0) } ?? false:
                current.append(scalar)
            case "[":
                flush()
                bracketOpenedAt = tokens.count
            case "]":
                flush()
                if bracketOpenedAt == tokens.count - 1, Self.maskedWords.placeholders.contains(tokens[tokens.count - 1]) {
                    tokens[tokens.count - 1] = Self.maskedInsult
                }
                bracketOpenedAt = nil
            default:
                if scalar.properties.generalCategory == .nonspacingMark {
                    continue
                } else if Self.isWordScalar(scalar) {
                    if current.isEmpty { startedAfterStar = previous == "*" }
                    current.append(scalar)
                } else {
                    flush()
                    if Self.breaks.contains(scalar), !breakAfter.isEmpty { breakAfter[breakAfter.count - 1] = true }
                }
            }
        }
        flush()
        self.tokens = tokens
        self.quoted = quoted
        self.breakAfter = breakAfter
    }

    /// Lower case, "ß" as "ss", and accents apart from their letters (canonical decomposition), for the scalar loop. An
    /// ASCII text (most posts) only needs lower case: Foundation's replacing and decomposing cost more than the rest of
    /// the reading together, and change nothing there.
    static func folded(_ text: String) -> String {
        let lowered = text.lowercased()
        if text.isASCII { return lowered }
        let plain = lowered.unicodeScalars.contains("ß") ? lowered.replacingOccurrences(of: "ß", with: "ss") : lowered
        return plain.decomposedStringWithCanonicalMapping
    }

    /// The token a bracketed placeholder for an insult becomes.
    static let maskedInsult = "insultmasked"

    /// Placeholders written in brackets where an insult or slur was ("[slur]", "[Beleidigung]"), and words people write
    /// with stars ("b*tch"), folded; a starred word becomes the first of `maskable` that fits it, first with one letter
    /// a star, then with any run of letters a run of stars. Shared with tools/ngram_features.py (masked-words.json).
    private struct MaskedWords: Decodable {
        let placeholders: Set<String>
        let maskable: [String]
    }

    private static let maskedWords: (placeholders: Set<String>, maskable: [[Unicode.Scalar]]) = {
        guard let url = Bundle.module.url(forResource: "masked-words", withExtension: "json"),
            let data = try? Data(contentsOf: url), let words = try? JSONDecoder().decode(MaskedWords.self, from: data)
        else { return ([], []) }
        // Split into scalars once, not for every starred word.
        return (words.placeholders, words.maskable.map { Array($0.unicodeScalars) })
    }()

    /// A token with stars in it, read as the word it masks: "b*tch" -> "bitch"; stars around a word are emphasis
    /// ("*hugs*" -> "hugs"), as is one star after it; a masked word not in the list becomes `maskedInsult`.
    static func unmasked(_ token: String, startedAfterStar: Bool) -> String {
        guard token.unicodeScalars.contains("*") else { return token }
        let letters = Array(token.unicodeScalars)
        var end = letters.count
        while letters[end - 1] == "*" { end -= 1 }
        let stem = letters[..<end]
        if !stem.contains("*"), startedAfterStar || letters.count - end == 1 { return String(String.UnicodeScalarView(stem)) }
        for looseStars in [false, true] {
            if let word = maskedWords.maskable.first(where: { fits(letters[...], $0[...], looseStars: looseStars) }) {
                return String(String.UnicodeScalarView(word))
            }
        }
        return maskedInsult
    }

    /// Whether `word` fits the starred `pattern`: each star one letter, or with `looseStars` each run of stars one or
    /// more letters.
    private static func fits(_ pattern: ArraySlice<Unicode.Scalar>, _ word: ArraySlice<Unicode.Scalar>, looseStars: Bool) -> Bool {
        guard let first = pattern.first else { return word.isEmpty }
        guard first == "*" else {
            return word.first == first && fits(pattern.dropFirst(), word.dropFirst(), looseStars: looseStars)
        }
        guard looseStars else { return !word.isEmpty && fits(pattern.dropFirst(), word.dropFirst(), looseStars: false) }
        let rest = pattern.drop { $0 == "*" }
        return word.indices.contains { fits(rest, word[($0 + 1)...], looseStars: true) }
    }

    private static let breaks: Set<Unicode.Scalar> = [".", ";", "!", "\n", "\u{2026}", "\u{00A1}", "\u{00BF}"]

    /// The up to `count` tokens before `index` in the same sentence or clause.
    func window(before index: Int, count: Int) -> Range<Int> {
        var start = index
        while start > 0, index - start < count, !breakAfter[start - 1] { start -= 1 }
        return start..<index
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || (scalar >= "A" && scalar <= "Z")
        }
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// The tokens after the last contrastive conjunction ("I believe you, but …"), when at least two follow it.
    func clause(after conjunctions: Set<String>) -> ArraySlice<String>? {
        guard let last = tokens.indices.dropFirst().last(where: { conjunctions.contains(tokens[$0]) }),
            tokens.count - last - 1 >= 2
        else { return nil }
        return tokens[(last + 1)...]
    }
}
