import ChorusCore
import Foundation
import Hummingbird

/// The words of one language, with English behind any that are missing.
struct Words: Sendable {
    let table: [String: String]
    /// The language's code ("en", "es", …).
    var language = "en"
    /// The domain's English sentences (refusals, input to correct) in this language.
    var sentences = Sentences(translations: [:])

    subscript(_ key: String) -> String { table[key] ?? key }

    /// A message the domain wrote in English (an `InputError`'s or a `Refusal`'s), in this language when its sentence
    /// is translated, else as it is.
    func message(_ english: String) -> String { sentences.translate(english) }

    /// A country's name in this language, or `fallback` (the directory's own name) when the language has none.
    func countryName(_ code: String, fallback: String) -> String {
        let name = CountryChoice.name(of: code, language: language)
        return name == code ? fallback : name
    }

    /// A rule as the instance wrote it: the default rules in this language, a moderator's own words as they are.
    func rule(_ rule: Rule) -> String { message(rule.text) }

    /// A sentence with `{name}` placeholders filled in.
    func format(_ key: String, _ values: [String: String]) -> String {
        var text = self[key]
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}

/// The interface in every language Chorus speaks: the person's choice, else their browser's `Accept-Language`.
struct Localization: Sendable {
    static let languageCookie = "chorus_lang"
    let languages: [String: Words]

    static func load() throws -> Localization {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Strings") else {
            throw ChorusStartupError("The interface words are missing from this build.")
        }
        var tables: [String: [String: String]] = [:]
        var sentences: [String: [String: String]] = [:]
        // One folder per language, one file per area of Chorus (core.json, help.json, …), merged; sentences.json holds
        // the domain's English sentences, translated.
        for code in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let folder = directory.appendingPathComponent(code)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".json") {
                let table = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: folder.appendingPathComponent(file)))
                if file == Sentences.file {
                    sentences[code] = table
                } else {
                    tables[code, default: [:]].merge(table) { _, new in new }
                }
            }
        }
        let english = tables["en"] ?? [:]
        var languages: [String: Words] = [:]
        for (code, table) in tables {
            var words = Words(table: english.merging(table) { _, own in own })
            words.language = code
            if code != "en" { words.sentences = Sentences(translations: sentences[code] ?? [:]) }
            languages[code] = words
        }
        return Localization(languages: languages)
    }

    var codes: [String] { languages.keys.sorted() }

    func words(for code: String) -> Words { languages[code] ?? languages["en"] ?? Words(table: [:]) }

    /// The account's choice, then the language cookie, then the browser's preference, then English.
    func language(account: Account?, request: Request) -> String {
        if let chosen = account?.language, languages[chosen] != nil { return chosen }
        if let cookie = request.cookies[Self.languageCookie]?.value, languages[cookie] != nil { return cookie }
        let preferred = Language.from(acceptLanguage: request.headers[.acceptLanguage]).rawValue
        return languages[preferred] != nil ? preferred : "en"
    }

}
