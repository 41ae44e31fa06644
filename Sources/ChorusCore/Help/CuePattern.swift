import Foundation

/// One compiled cue, with the words one of which must open any match: looking words up first skips most
/// regular-expression runs (each costs about a microsecond on Linux, whatever the pattern).
struct CuePattern: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads at once.
    let expression: NSRegularExpression
    /// `nil` when the pattern's opening words could not be worked out; then it always runs.
    let openingWords: Set<String>?

    init(source: String) {
        do {
            expression = try NSRegularExpression(pattern: source)
        } catch {
            // The lists are part of the source and every pattern is compiled by the tests.
            preconditionFailure("Invalid crisis cue pattern \(source): \(error)")
        }
        openingWords = Self.openingWords(of: source)
    }

    /// The words a match must start with, for patterns shaped `\bword ...`, `\bword(ending)? ...` or
    /// `\b(one|two words|three(ending)?|four (five|six)) ...`.
    static func openingWords(of source: String) -> Set<String>? {
        guard source.hasPrefix(#"\b"#) else { return nil }
        let body = source.dropFirst(2)
        guard body.first == "(" else { return wordsOpening(body, followedBy: "") }
        guard let close = matchingParenthesis(in: body) else { return nil }
        let group = body[body.index(after: body.startIndex)..<close]
        let after = body[body.index(after: close)...]
        var words: Set<String> = []
        for alternative in alternatives(in: group) {
            guard let opening = wordsOpening(alternative, followedBy: after) else { return nil }
            words.formUnion(opening)
        }
        // An optional group (`\b(me )?pregunto`): a match may also start with what follows it.
        if after.first == "?" || after.first == "*" {
            guard let following = openingWords(of: #"\b"# + after.dropFirst()) else { return nil }
            words.formUnion(following)
        } else if after.first == "{" {
            return nil
        }
        return words
    }

    /// The words `text` starts with (a word, or a word and the same word with an optional ending, as in `feel(ing)?`),
    /// when what follows makes the text's word end there too.
    private static func wordsOpening(_ text: Substring, followedBy after: Substring) -> Set<String>? {
        guard var (word, rest) = leadingWord(text) else { return nil }
        var words: Set<String> = [word]
        if rest.first == "(", let close = matchingParenthesis(in: rest), rest[rest.index(after: close)...].hasPrefix("?") {
            let ending = rest[rest.index(after: rest.startIndex)..<close]
            guard !ending.isEmpty, ending.allSatisfy(\.isLetter) else { return nil }
            word += ending
            words.insert(word)
            rest = rest[rest.index(close, offsetBy: 2)...]
        }
        guard rest.isEmpty ? endsWord(after) : endsWord(rest) else { return nil }
        return words
    }

    /// The alternatives of a group's body, split at its own `|` only (not at those of groups inside it).
    private static func alternatives(in group: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = group.startIndex
        for index in group.indices {
            switch group[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case "|" where depth == 0:
                parts.append(group[start..<index])
                start = group.index(after: index)
            default: break
            }
        }
        parts.append(group[start...])
        return parts
    }

    private static func leadingWord(_ text: Substring) -> (String, Substring)? {
        let word = text.prefix { $0.isLetter || $0 == "'" }
        guard !word.isEmpty, word.first != "'" else { return nil }
        return (String(word), text.dropFirst(word.count))
    }

    /// Whether what follows a word in the pattern guarantees the text's word ends there too.
    private static func endsWord(_ rest: Substring) -> Bool {
        if rest.isEmpty || rest.hasPrefix(#"\b"#) || rest.hasPrefix("(?: ") { return true }
        if rest.hasPrefix("( ") { return true }
        guard let next = rest.first else { return true }
        return next == " " || next == "," || next == "-" || next == "!"
    }

    private static func matchingParenthesis(in text: Substring) -> Substring.Index? {
        var depth = 0
        for index in text.indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}

/// The cues of one kind, indexed by opening word so that a text only runs the patterns its words can start.
struct CueSet: Sendable {
    let patterns: [CuePattern]
    private let byOpeningWord: [String: [Int]]
    private let alwaysRun: [Int]

    init(sources: [String]) {
        patterns = sources.map(CuePattern.init)
        var byOpeningWord: [String: [Int]] = [:]
        var alwaysRun: [Int] = []
        for (index, pattern) in patterns.enumerated() {
            guard let words = pattern.openingWords else {
                alwaysRun.append(index)
                continue
            }
            for word in words { byOpeningWord[word, default: []].append(index) }
        }
        self.byOpeningWord = byOpeningWord
        self.alwaysRun = alwaysRun
    }

    /// The patterns that can match a text made of these words, in list order.
    func candidates(for words: Set<String>) -> [NSRegularExpression] {
        var indices = Set(alwaysRun)
        for word in words { indices.formUnion(byOpeningWord[word] ?? []) }
        return indices.sorted().map { patterns[$0].expression }
    }
}
