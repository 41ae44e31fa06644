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

    /// The words a match must start with, for patterns shaped `\bword ...` or `\b(one|two words|three) ...`.
    static func openingWords(of source: String) -> Set<String>? {
        guard source.hasPrefix(#"\b"#) else { return nil }
        let body = source.dropFirst(2)
        guard body.first == "(" else {
            guard let (word, rest) = leadingWord(body), endsWord(rest) else { return nil }
            return [word]
        }
        guard let close = matchingParenthesis(in: body) else { return nil }
        let group = body[body.index(after: body.startIndex)..<close]
        guard !group.contains("(") else { return nil }
        let after = body[body.index(after: close)...]
        var words: Set<String> = []
        for alternative in group.split(separator: "|", omittingEmptySubsequences: false) {
            guard let (word, rest) = leadingWord(alternative) else { return nil }
            guard rest.isEmpty ? endsWord(after) : endsWord(rest) else { return nil }
            words.insert(word)
        }
        return words
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
