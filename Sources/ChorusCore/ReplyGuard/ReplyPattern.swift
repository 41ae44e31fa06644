/// A phrase that marks one harmful kind of reply, written over folded tokens (see `ReplyText`).
///
/// Syntax, one space between steps: `word`; `a/b/c` (any of); `pre*` (starts with); `*suf` (ends with);
/// `*` (skip zero to three words); `_` (exactly one word); `~a/b` (one word that is none of these: "la proxima vez ~que"
/// is advice, "la próxima vez que alguien te diga…" is not). A leading `!` marks a phrase that already carries
/// its own negation, so a negation just before it does not cancel it ("no deberías haber ido").
struct ReplyPattern: Sendable {
    enum Step: Sendable {
        case word(Set<String>, prefixes: [String], suffixes: [String])
        case gap(ClosedRange<Int>)
        case other(than: Set<String>)
    }

    let label: ReplyLabel
    let steps: [Step]
    let cancelledByNegation: Bool
    let source: String

    init(_ label: ReplyLabel, _ source: String) {
        self.label = label
        self.source = source
        var text = Substring(source)
        cancelledByNegation = !text.hasPrefix("!")
        if !cancelledByNegation { text = text.dropFirst() }
        steps = text.split(separator: " ").map { part in
            switch part {
            case "*": return .gap(0...3)
            case "_": return .gap(1...1)
            case _ where part.hasPrefix("~"):
                return .other(than: Set(part.dropFirst().split(separator: "/").map(String.init)))
            default:
                var words = Set<String>()
                var prefixes: [String] = []
                var suffixes: [String] = []
                for option in part.split(separator: "/") {
                    if option.count > 1 && option.hasSuffix("*") {
                        prefixes.append(String(option.dropLast()))
                    } else if option.count > 1 && option.hasPrefix("*") {
                        suffixes.append(String(option.dropFirst()))
                    } else {
                        words.insert(String(option))
                    }
                }
                return .word(words, prefixes: prefixes, suffixes: suffixes)
            }
        }
    }

    /// Token ranges where the pattern matches `tokens` (the shortest match at each start).
    func matches(in tokens: [String]) -> [Range<Int>] {
        guard case .word(let words, let prefixes, let suffixes) = steps.first else { return [] }
        var found: [Range<Int>] = []
        for start in tokens.indices where Self.accepts(tokens[start], words, prefixes, suffixes) {
            if let end = match(tokens, step: 1, at: start + 1) { found.append(start..<end) }
        }
        return found
    }

    private func match(_ tokens: [String], step: Int, at index: Int) -> Int? {
        if step == steps.count { return index }
        switch steps[step] {
        case .gap(let range):
            for skip in range where index + skip <= tokens.count {
                if let end = match(tokens, step: step + 1, at: index + skip) { return end }
            }
            return nil
        case .word(let words, let prefixes, let suffixes):
            guard index < tokens.count, Self.accepts(tokens[index], words, prefixes, suffixes) else { return nil }
            return match(tokens, step: step + 1, at: index + 1)
        case .other(let excluded):
            guard index < tokens.count, !excluded.contains(tokens[index]) else { return nil }
            return match(tokens, step: step + 1, at: index + 1)
        }
    }

    private static func accepts(_ token: String, _ words: Set<String>, _ prefixes: [String], _ suffixes: [String]) -> Bool {
        words.contains(token) || prefixes.contains { token.hasPrefix($0) } || suffixes.contains { token.hasSuffix($0) }
    }

    /// Whether the phrase spells out a negation itself ("not all men"), or may take one in a `~` step ("la proxima vez
    /// no bebas"), so only a negation before it can cancel it.
    var containsNegation: Bool {
        steps.contains { step in
            switch step {
            case .word(let words, _, _): return !words.isDisjoint(with: ReplyLexicon.negations)
            case .other: return true
            case .gap: return false
            }
        }
    }
}
