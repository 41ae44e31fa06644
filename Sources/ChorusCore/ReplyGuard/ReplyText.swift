/// A reply folded into comparable word tokens: lower case, accents and apostrophes dropped, "?" kept as a token.
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
        func flush() {
            if !current.isEmpty {
                tokens.append(String(current))
                quoted.append(inQuote)
                breakAfter.append(false)
                current = String.UnicodeScalarView()
            }
        }
        let folded = text.lowercased().replacingOccurrences(of: "ß", with: "ss").decomposedStringWithCanonicalMapping
        for scalar in folded.unicodeScalars {
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
            default:
                if scalar.properties.generalCategory == .nonspacingMark {
                    continue
                } else if Self.isWordScalar(scalar) {
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
