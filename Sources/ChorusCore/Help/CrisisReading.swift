import Foundation

/// One text, folded and cut into sentences and clauses, with the questions the detector asks of it.
struct CrisisReading {
    /// Where a cue matched, in UTF-16 offsets of the folded text.
    typealias Signal = NSRange

    /// The folded text, whose line breaks end sentences.
    private let folded: NSString
    /// The same text with each line break as a space, where the cues are matched: a cue cut by a line break ("I want
    /// to⏎kill myself", a poem's lines) is still found, and its context is then both lines' sentences. A line break and
    /// a space are one UTF-16 unit each, so a match's range holds in `folded` too.
    private let foldedText: String
    private let sentences: [NSRange]
    private let clauses: [NSRange]
    private let cues: CompiledCues
    private let words: Set<String>

    init(text: String, cues: CompiledCues) {
        let folded = Self.fold(text)
        let lines = folded.utf8.contains(0x0A) ? folded.replacingOccurrences(of: "\n", with: " ") : folded
        self.foldedText = lines
        self.folded = folded as NSString
        self.cues = cues
        words = Self.words(in: lines, pairingAfter: cues.pairedFirstWords)
        sentences = Self.split(self.folded, at: ".!?\n")
        clauses = Self.split(self.folded, at: ".!?\n,;:")
    }

    /// Lower-cased, accents removed, typographic apostrophes made plain, and each run of spaces one space.
    static func fold(_ text: String) -> String {
        // An ASCII text has no accents or typographic apostrophes, and its case folds as it lower-cases: Foundation's
        // folding is the slowest part of reading it.
        if text.isASCII { return singleSpaced(text.lowercased()) }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        let apostrophes: Set<Unicode.Scalar> = ["\u{2019}", "\u{2018}", "\u{00B4}", "\u{02BC}"]
        guard folded.unicodeScalars.contains(where: apostrophes.contains) else { return singleSpaced(folded) }
        var plain = String.UnicodeScalarView()
        plain.append(contentsOf: folded.unicodeScalars.map { apostrophes.contains($0) ? "'" : $0 })
        return singleSpaced(String(plain))
    }

    /// Each run of white space as one plain space, or as one line break where the run holds one (a line break ends a
    /// sentence). The cues are written with single spaces: "want to  kill myself", a no-break space (French keyboards,
    /// pasted text) or a tab between two words hid a cue from them.
    static func singleSpaced(_ text: String) -> String {
        guard needsSpacing(text) else { return text }
        var out = String.UnicodeScalarView()
        var run: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                run = lineBreaks.contains(scalar) || run == "\n" ? "\n" : " "
                continue
            }
            if let space = run { out.append(space) }
            run = nil
            out.append(scalar)
        }
        if let space = run { out.append(space) }
        return String(out)
    }

    private static let lineBreaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]

    /// Whether `singleSpaced` would change the text: white space other than a space or a line break, or two of them in a
    /// row (a blank line between the two halves of a cue, or a space before a line break). Nearly every post needs
    /// nothing, and an ASCII text is answered from its bytes, without Unicode's properties.
    private static func needsSpacing(_ text: String) -> Bool {
        var previousWasSpace = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return needsSpacing(text.unicodeScalars) }
            let isSpace = byte == 0x20 || byte == 0x0A
            if byte == 0x09 || (0x0B...0x0D).contains(byte) || (isSpace && previousWasSpace) { return true }
            previousWasSpace = isSpace
        }
        return false
    }

    private static func needsSpacing(_ scalars: String.UnicodeScalarView) -> Bool {
        var previousWasSpace = false
        return scalars.contains { scalar in
            let isSpace = scalar == " " || scalar == "\n"
            defer { previousWasSpace = isSpace }
            return (scalar.properties.isWhitespace && !isSpace) || (isSpace && previousWasSpace)
        }
    }

    /// The words of a folded text: runs of letters, digits and apostrophes (any non-ASCII byte counts as a letter). A
    /// word in `pairingAfter` followed by one space and another word also gives the pair ("me quiero"), and the pair with
    /// that word's part before an apostrophe ("if you'd": "if you"), where a cue's `\b` may end it.
    // Works on UTF-8 bytes because Character-level splitting costs tens of microseconds per post.
    static func words(in folded: String, pairingAfter firstWords: Set<String> = []) -> Set<String> {
        var words = Set<String>()
        var current: [UInt8] = []
        // The last word, while only one space has followed it, when it starts pairs.
        var pairing: String?
        var gap = 0
        func endWord() {
            let word = String(decoding: current, as: UTF8.self)
            words.insert(word)
            if let first = pairing, gap == 1 {
                words.insert(first + " " + word)
                if let apostrophe = current.firstIndex(of: 0x27), apostrophe > 0 {
                    words.insert(first + " " + String(decoding: current[..<apostrophe], as: UTF8.self))
                }
            }
            pairing = firstWords.contains(word) ? word : nil
            gap = 0
            current.removeAll(keepingCapacity: true)
        }
        for byte in folded.utf8 {
            let isWordByte =
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x27 || byte >= 0x80
                || (byte >= 0x41 && byte <= 0x5A)
            if isWordByte {
                current.append(byte)
            } else {
                if !current.isEmpty { endWord() }
                gap = byte == 0x20 && gap == 0 && pairing != nil ? 1 : 2
            }
        }
        if !current.isEmpty { endWord() }
        return words
    }

    private var whole: NSRange { NSRange(location: 0, length: folded.length) }

    var hasLaughter: Bool { matches(cues.joke, in: whole) }

    var mentionsNow: Bool { matches(cues.now, in: whole) }

    /// Past-time framing ("back then", "when I was 16", "in 2015") somewhere in the text.
    var mentionsPast: Bool { matches(cues.past, in: whole) }

    /// A "now" in a sentence that does not say the writer is better: "today I'm better" is the end of a story told,
    /// "tonight I want to die again" is not.
    var mentionsNowOutsideRecovery: Bool {
        sentences.contains { matches(cues.now, in: $0) && !matches(cues.recovered, in: $0) }
    }

    /// Framing that puts the text at a distance from its writer (addressed to someone else, hypothetical, news, film).
    var mentionsDistance: Bool { matches(cues.distance, in: whole) }

    func signals(of cues: CueSet) -> [Signal] {
        let whole = NSRange(location: 0, length: folded.length)
        return cues.candidates(for: words).flatMap { $0.matches(in: foldedText, range: whole).map(\.range) }
    }

    /// A signal is a story told, negated, or about someone else.
    func isSuppressed(_ signal: Signal) -> Bool {
        let sentence = enclosing(signal, in: sentences)
        let clause = enclosing(signal, in: clauses)
        if matches(cues.distance, in: sentence) { return true }
        if matches(cues.past, in: sentence) && !matches(cues.now, in: clause) && !turnsToNow(signal, in: sentence) { return true }
        if matches(cues.reported, in: sentence) && !mentionsNow && matches(cues.past, in: whole) { return true }
        return isNegated(signal, within: clause)
    }

    /// Words that turn a sentence from its past to what follows ("years ago I was better, but I want to die").
    private static let turn = try? NSRegularExpression(
        pattern: #"\b(but|yet|however|mais|pourtant|cependant|pero|sin embargo|aber|doch|jedoch|mas|porem|no entanto)\b"#)

    /// Whether the sentence turns ("but …") between its last past cue and the signal: the signal then belongs to no story.
    private func turnsToNow(_ signal: Signal, in sentence: NSRange) -> Bool {
        let before = NSRange(location: sentence.location, length: signal.location - sentence.location)
        guard let turn = Self.turn?.matches(in: foldedText, range: before).last else { return false }
        let after = NSRange(location: turn.range.upperBound, length: signal.upperBound - turn.range.upperBound)
        return !matches(cues.past, in: after)
    }

    private func isNegated(_ signal: Signal, within clause: NSRange) -> Bool {
        let before = folded.substring(with: NSRange(location: clause.location, length: signal.location - clause.location))
        let words = before.split(whereSeparator: { !$0.isLetter }).suffix(3).map(String.init)
        // "can't stop thinking about it" keeps the signal: the negation belongs to "stop", not to the signal.
        if words.contains(where: { ["stop", "dejar", "parar", "arreter", "aufhoren"].contains($0) }) { return false }
        return words.enumerated().contains { index, word in
            if word == "t" { return index > 0 && ["don", "won", "isn", "aren", "didn", "doesn", "wouldn"].contains(words[index - 1]) }
            return cues.negations.contains(word)
        }
    }

    private func matches(_ cues: CueSet, in range: NSRange) -> Bool {
        cues.candidates(for: words).contains { $0.firstMatch(in: foldedText, range: range) != nil }
    }

    /// The span from the part holding the signal's start to the part holding its end.
    private func enclosing(_ signal: Signal, in parts: [NSRange]) -> NSRange {
        let end = signal.location + max(signal.length - 1, 0)
        let first = parts.first { NSLocationInRange(signal.location, $0) } ?? signal
        let last = parts.first { NSLocationInRange(end, $0) } ?? signal
        return NSRange(location: first.location, length: NSMaxRange(last) - first.location)
    }

    private static func split(_ text: NSString, at delimiters: String) -> [NSRange] {
        let stops = Set(delimiters.utf16)
        var parts: [NSRange] = []
        var start = 0
        for index in 0..<text.length where stops.contains(text.character(at: index)) {
            parts.append(NSRange(location: start, length: index + 1 - start))
            start = index + 1
        }
        if start < text.length { parts.append(NSRange(location: start, length: text.length - start)) }
        return parts
    }
}
