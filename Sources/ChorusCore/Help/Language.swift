/// The languages Chorus speaks.
public enum Language: String, CaseIterable, Sendable {
    case en, es, fr, de, pt

    /// The best supported language in an HTTP `Accept-Language` header, respecting `q` weights; English by default.
    public static func from(acceptLanguage: String?) -> Language {
        AcceptLanguage.parse(acceptLanguage).lazy.compactMap { Language(rawValue: $0.language) }.first ?? .en
    }

    /// A rough guess of a short text's language from common words; English when nothing stands out.
    /// Used only to break evaluation reports down by language when the data has no `lang` field.
    public static func guess(from text: String) -> Language {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter })
        var scores: [Language: Int] = [:]
        for word in words {
            for language in allCases where language.commonWords.contains(String(word)) { scores[language, default: 0] += 1 }
        }
        return allCases.max { (scores[$0] ?? 0) < (scores[$1] ?? 0) }.flatMap { (scores[$0] ?? 0) > 0 ? $0 : nil } ?? .en
    }

    private var commonWords: Set<String> {
        switch self {
        case .en: ["the", "i", "and", "is", "my", "he", "me", "to", "it", "you", "not", "was", "she", "i'm", "of", "in", "this"]
        case .es: ["el", "la", "y", "que", "mi", "me", "no", "es", "está", "estoy", "yo", "con", "por", "una", "los", "las", "muy"]
        case .fr: ["le", "la", "et", "je", "il", "est", "mon", "ma", "pas", "ne", "suis", "les", "des", "une", "elle", "qu", "ce"]
        case .de: ["der", "die", "das", "und", "ich", "er", "ist", "nicht", "mich", "mir", "ein", "eine", "sie", "bin", "zu", "auf"]
        case .pt: ["o", "a", "e", "que", "eu", "ele", "não", "meu", "minha", "estou", "com", "uma", "em", "os", "está", "você"]
        }
    }
}
