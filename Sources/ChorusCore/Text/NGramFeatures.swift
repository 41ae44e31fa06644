/// Hashed word and character n-gram features of a token sequence, shared by the reply guard's and the crisis
/// detector's models.
///
/// Mirrors `features()` and `fnv1a()` in tools/ngram_features.py (used by both trainers): word unigrams ("w|"), word bigrams with a start
/// marker ("b|"), and character 3- to 5-grams of each space-padded word ("c|"), each hashed with 64-bit FNV-1a
/// and cut to 52 bits (so the hashes survive JSON as exact numbers).
///
/// The `.phrases` scheme (`features(toks, scheme=2)` in tools/ngram_features.py, used by the reply guard) adds word
/// trigrams ("t|") and takes the character 3- to 5-grams across word boundaries, over the whole space-joined token
/// sequence, so short phrases ("e queen o", "ah rig") become features too.
enum NGramFeatures {
    static let hashMask: UInt64 = (1 << 52) - 1

    /// Which features a model was trained on.
    enum Scheme: Int, Sendable {
        /// Word unigrams and bigrams, character n-grams inside each word.
        case words = 1
        /// Word unigrams, bigrams and trigrams, character n-grams across word boundaries.
        case phrases = 2
    }

    /// Calls `body` once per feature occurrence of the given scheme (duplicates included; the model removes them).
    static func forEachHash<Tokens: Collection<String>>(of tokens: Tokens, scheme: Scheme, _ body: (UInt64) -> Void) {
        switch scheme {
        case .words: forEachHash(of: tokens, body)
        case .phrases: forEachPhraseHash(of: tokens, body)
        }
    }

    private static func forEachPhraseHash<Tokens: Collection<String>>(of tokens: Tokens, _ body: (UInt64) -> Void) {
        var first = "^"
        var second = "^"
        var scalars: [Unicode.Scalar] = [" "]
        for token in tokens {
            var word = FNV("w|")
            word.add(token)
            body(word.value)
            var pair = FNV("b|")
            pair.add(second)
            pair.add(" ")
            pair.add(token)
            body(pair.value)
            var triple = FNV("t|")
            triple.add(first)
            triple.add(" ")
            triple.add(second)
            triple.add(" ")
            triple.add(token)
            body(triple.value)
            first = second
            second = token
            scalars.append(contentsOf: token.unicodeScalars)
            scalars.append(" ")
        }
        forEachCharacterGram(of: scalars, body)
    }

    /// Calls `body` once per feature occurrence (duplicates included; the model removes them).
    static func forEachHash<Tokens: Collection<String>>(of tokens: Tokens, _ body: (UInt64) -> Void) {
        var previous = "^"
        var scalars: [Unicode.Scalar] = []
        for token in tokens {
            var word = FNV("w|")
            word.add(token)
            body(word.value)
            var pair = FNV("b|")
            pair.add(previous)
            pair.add(" ")
            pair.add(token)
            body(pair.value)
            previous = token
            if token == "?" { continue }
            scalars.removeAll(keepingCapacity: true)
            scalars.append(" ")
            scalars.append(contentsOf: token.unicodeScalars)
            scalars.append(" ")
            forEachCharacterGram(of: scalars, body)
        }
    }

    /// Character 3- to 5-grams ("c|") of a space-padded run of scalars.
    private static func forEachCharacterGram(of scalars: [Unicode.Scalar], _ body: (UInt64) -> Void) {
        for n in 3...5 where scalars.count >= n {
            for start in 0...(scalars.count - n) {
                var gram = FNV("c|")
                for index in start..<(start + n) { gram.add(scalars[index]) }
                body(gram.value)
            }
        }
    }

    /// 64-bit FNV-1a over UTF-8 bytes.
    struct FNV {
        private(set) var state: UInt64 = 0xcbf2_9ce4_8422_2325
        var value: UInt64 { state & NGramFeatures.hashMask }

        init(_ prefix: StaticString) {
            prefix.withUTF8Buffer { for byte in $0 { add(byte: byte) } }
        }

        mutating func add(byte: UInt8) {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }

        mutating func add(_ text: String) {
            for byte in text.utf8 { add(byte: byte) }
        }

        mutating func add(_ scalar: Unicode.Scalar) {
            if scalar.isASCII {
                add(byte: UInt8(scalar.value))
            } else {
                for byte in String(scalar).utf8 { add(byte: byte) }
            }
        }
    }
}
