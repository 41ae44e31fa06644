import Foundation
import Synchronization

/// One cue, with the words one of which must open any match: looking words up first skips most regular-expression runs
/// (each costs about a microsecond on Linux, whatever the pattern).
///
/// A pattern is compiled the first time a text can match it. Compiling all 944 at start kept a megabyte of ICU's memory
/// in every process before any text was read, and most texts run only a few of them.
final class CuePattern: @unchecked Sendable {
    let source: String
    /// `nil` when the pattern's opening words could not be worked out; then it always runs.
    let openingWords: Set<String>?
    // NSRegularExpression is immutable and documented as safe to use from several threads at once; the lock guards
    // only its first compilation.
    private let compiled = Mutex<NSRegularExpression?>(nil)

    init(source: String) {
        self.source = source
        openingWords = Self.openingWords(of: source)
    }

    var expression: NSRegularExpression {
        compiled.withLock { compiled in
            if let compiled { return compiled }
            do {
                let expression = try NSRegularExpression(pattern: source)
                compiled = expression
                return expression
            } catch {
                // The lists are part of the source and every pattern is compiled by the tests.
                preconditionFailure("Invalid crisis cue pattern \(source): \(error)")
            }
        }
    }

    /// The words a match must start with, for patterns shaped `\bword ...`, `\bword(ending)? ...` or
    /// `\b(one|two words|three(ending)?|four (five|six)) ...`. Where a first word is followed by a space and a second
    /// word worked out the same way, the two are taken as one phrase ("me quiero"): a text with only the first word (the
    /// "me" of every "me too") then does not run the pattern. `pairs: false` gives single words only.
    static func openingWords(of source: String, pairs: Bool = true) -> Set<String>? {
        guard source.hasPrefix(#"\b"#) else { return nil }
        let body = source.dropFirst(2)
        guard body.first == "(" else { return wordsOpening(body, followedBy: "", pairs: pairs) }
        guard let close = matchingParenthesis(in: body) else { return nil }
        let group = body[body.index(after: body.startIndex)..<close]
        let after = body[body.index(after: close)...]
        var words: Set<String> = []
        let optional = after.first == "?" || after.first == "*"
        for alternative in alternatives(in: group) {
            guard let opening = wordsOpening(alternative, followedBy: after, pairs: pairs && !optional) else { return nil }
            words.formUnion(opening)
        }
        // An optional group (`\b(me )?pregunto`): a match may also start with what follows it.
        if optional {
            guard let following = openingWords(of: #"\b"# + after.dropFirst(), pairs: pairs) else { return nil }
            words.formUnion(following)
        } else if after.first == "{" {
            return nil
        }
        return words
    }

    /// The words `text` starts with (a word, or a word and the same word with an optional ending, as in `feel(ing)?`),
    /// when what follows makes the text's word end there too; with `pairs`, each with the word after it where that is
    /// known.
    private static func wordsOpening(_ text: Substring, followedBy after: Substring, pairs: Bool) -> Set<String>? {
        guard var (word, rest) = leadingWord(text) else { return nil }
        var words: Set<String> = [word]
        if rest.first == "(", let close = matchingParenthesis(in: rest), rest[rest.index(after: close)...].hasPrefix("?"),
            rest.dropFirst().first?.isLetter == true
        {
            let ending = rest[rest.index(after: rest.startIndex)..<close]
            guard ending.allSatisfy(\.isLetter) else { return nil }
            word += ending
            words.insert(word)
            rest = rest[rest.index(close, offsetBy: 2)...]
        }
        guard rest.isEmpty ? endsWord(after) : endsWord(rest) else { return nil }
        if pairs, rest.first == " ", rest.count > 1, let next = openingWords(of: #"\b"# + rest.dropFirst() + after, pairs: false) {
            return Set(words.flatMap { first in next.map { "\(first) \($0)" } })
        }
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

    /// Whether what follows a word in the pattern guarantees the text's word ends there too. The pattern's end does not:
    /// the text's word may go on. (After `\b` it may go on past an apostrophe, "lol's": such a text does not run the
    /// pattern, as when the detector was tuned; only a pair's second word is also looked up up to an apostrophe.)
    private static func endsWord(_ rest: Substring) -> Bool {
        if rest.isEmpty { return false }
        if rest.hasPrefix(#"\b"#) || rest.hasPrefix("(?: ") { return true }
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

/// The cues of one kind, indexed by opening word (or pair of words) so that a text only runs the patterns its words can
/// start.
struct CueSet: Sendable {
    let patterns: [CuePattern]
    private let byOpeningWord: [String: [Int]]
    private let alwaysRun: [Int]
    /// The first words of the pairs in the index: a text's words are paired only after these.
    let pairedFirstWords: Set<String>

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
        pairedFirstWords = Set(byOpeningWord.keys.compactMap { key in key.firstIndex(of: " ").map { String(key[..<$0]) } })
    }

    /// The patterns that can match a text made of these words (and pairs of words), in list order.
    func candidates(for words: Set<String>) -> [NSRegularExpression] {
        var indices = Set(alwaysRun)
        for word in words { indices.formUnion(byOpeningWord[word] ?? []) }
        return indices.sorted().map { patterns[$0].expression }
    }
}
