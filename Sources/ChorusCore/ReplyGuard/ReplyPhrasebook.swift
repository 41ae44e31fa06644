/// Finds harmful phrases in a reply, skipping those that are negated, conceded, reported or quoted.
///
/// "It's not your fault", "people who *say* you should have fought back" and "anyone who asks “what were you
/// wearing”" all contain a harmful phrase, but the writer is rejecting it, not saying it.
struct ReplyPhrasebook: Sendable {
    private let byFirstWord: [String: [ReplyPattern]]
    private let scanned: [ReplyPattern]

    init(patterns: [ReplyPattern] = ReplyLexicon.all) {
        var byFirstWord: [String: [ReplyPattern]] = [:]
        var scanned: [ReplyPattern] = []
        for pattern in patterns {
            if case .word(let words, let prefixes, let suffixes) = pattern.steps.first, prefixes.isEmpty, suffixes.isEmpty {
                for word in words { byFirstWord[word, default: []].append(pattern) }
            } else {
                scanned.append(pattern)
            }
        }
        self.byFirstWord = byFirstWord
        self.scanned = scanned
    }

    /// How many times each harmful label's phrases occur in the reply, not counting rejected ones.
    func hits(in text: ReplyText) -> [ReplyLabel: Int] {
        var hits: [ReplyLabel: Int] = [:]
        var candidates: [ReplyPattern] = scanned
        var seen = Set<String>()
        for token in text.tokens where seen.insert(token).inserted {
            if let patterns = byFirstWord[token] { candidates.append(contentsOf: patterns) }
        }
        for pattern in candidates {
            for range in pattern.matches(in: text.tokens) where !isRejected(range, of: pattern, in: text) {
                hits[pattern.label, default: 0] += 1
            }
        }
        return hits
    }

    private func isRejected(_ range: Range<Int>, of pattern: ReplyPattern, in text: ReplyText) -> Bool {
        let tokens = text.tokens
        if range.contains(where: { text.quoted[$0] }) { return true }
        let before = text.window(before: range.lowerBound, count: 4)
        if pattern.cancelledByNegation {
            if before.contains(where: { ReplyLexicon.turning.contains(tokens[$0]) }) { return true }
            if !pattern.containsNegation, range.contains(where: { ReplyLexicon.negations.contains(tokens[$0]) }) { return true }
            // German and French put the negation after the verb: "du übertreibst nicht".
            if range.upperBound < tokens.count, !text.breakAfter[range.upperBound - 1],
                ["nicht", "pas", "nie"].contains(tokens[range.upperBound])
            {
                return true
            }
        }
        let after = range.upperBound..<min(range.upperBound + 2, tokens.count)
        if after.contains(where: { ReplyLexicon.reportingAfter.contains(tokens[$0]) }),
            !text.breakAfter[range.upperBound - 1]
        {
            return true
        }
        let reportWindow = text.window(before: range.lowerBound, count: 5)
        return reportWindow.contains { index in
            ReplyLexicon.reporting.contains(tokens[index]) && !(index > 0 && ReplyLexicon.reportingSofteners.contains(tokens[index - 1]))
        }
    }
}
