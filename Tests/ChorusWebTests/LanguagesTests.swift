import ChorusTestSupport
import ChorusWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The interface in English, Spanish, French, German and Portuguese: the person's choice, else their browser's.
@Suite struct LanguagesTests {
    static let strings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ChorusWeb/Strings")

    static func table(_ language: String, _ area: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(contentsOf: strings.appendingPathComponent("\(language)/\(area).json")))
    }

    static let areas = ["archive", "core", "help", "magnitude", "mastodon", "moderation", "notifications", "sentences"]

    @Test(arguments: ["es", "fr", "de", "pt"], Self.areas)
    func everyEnglishKeyIsTranslated(language: String, area: String) throws {
        // setup
        let english = try Self.table("en", area)
        // act
        let translated = try Self.table(language, area)
        // check
        #expect(Set(english.keys).subtracting(translated.keys).sorted() == [])
        #expect(Set(translated.keys).subtracting(english.keys).sorted() == [])
        // Words that are the same in both languages ("Notifications" in French) are not left in English.
        let cognates: Set = ["Notifications"]
        let same = english.filter { key, value in
            !key.hasPrefix("language_") && translated[key] == value && value.count > 8 && !cognates.contains(value)
        }
        #expect(same.keys.sorted() == [], "left in English")
        for (key, value) in english where value.contains("{") {
            for placeholder in value.matches(of: /\{[a-z0-9]+\}/).map({ String($0.output) }) {
                #expect(translated[key]?.contains(placeholder) == true, "\(key) keeps \(placeholder)")
            }
        }
    }

    /// The files of a language are merged into one table: a key in two of them would show one file's words where the
    /// other's were meant (the say form's country hint once replaced the help line's on the settings page).
    @Test(arguments: ["en", "es", "fr", "de", "pt"])
    func noKeyIsInTwoFilesOfALanguage(language: String) throws {
        // act
        var owners: [String: [String]] = [:]
        for area in Self.areas {
            for key in try Self.table(language, area).keys { owners[key, default: []].append(area) }
        }
        // check
        #expect(owners.filter { $0.value.count > 1 }.isEmpty)
    }

    @Test func theBrowsersLanguageIsUsedUntilThePersonChooses() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var reader = Browser(client)
            // act
            let spanish = try await reader.get("/", headers: [.acceptLanguage: "es-AR,es;q=0.9,en;q=0.5"])
            let switched = try await reader.post("/language", [("lang", "de"), ("back", "/help/safety")])
            let german = try await reader.get("/help/safety", headers: [.acceptLanguage: "es-AR"])
            let outside = try await reader.post("/language", [("lang", "fr"), ("back", "//elsewhere.example/")])
            let unknown = try await reader.post("/language", [("lang", "xx"), ("back", "/")])
            // check
            #expect(spanish.body.contains("<html lang=\"es\">"))
            #expect(spanish.body.contains("No estás sola, no estás solo."))
            #expect(switched.status == .seeOther)
            #expect(switched.location == "/help/safety")
            #expect(browserCookie(switched, "chorus_lang")?.contains("HttpOnly") == true)
            #expect(german.body.contains("<html lang=\"de\">"))
            #expect(german.body.contains("Sicher surfen"))
            #expect(german.body.contains("<option value=\"de\" lang=\"de\" selected>Deutsch</option>"))
            #expect(outside.location == "/")
            #expect(unknown.status == .unprocessableContent)
        }
    }

    /// Changing the language leads back to the same page: with its query, and after a form was sent, to the page the
    /// form belongs to (a form's own address led to a 404).
    @Test func theLanguageChoiceLeadsBackToTheSamePage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            let voiceID = try #require(try await ana.sayMeToo("me too").1)
            // act
            let listed = try await ana.get("/voices?max_id=\(voiceID)")
            let refused = try await ana.post("/voices/\(voiceID)/reply", [("text", "   ")])
            // check
            #expect(listed.body.contains("name=\"back\" value=\"/voices?max_id=\(voiceID)\""))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("name=\"back\" value=\"/voices/\(voiceID)\""))
        }
    }

    @Test func aSignedInPersonsChoiceIsSavedOnTheirAccount() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var phone = Browser(client)
            try await phone.signUp("ana")
            // act
            try await phone.post("/language", [("lang", "pt"), ("back", "/")])
            var laptop = Browser(client)
            try await laptop.post("/signin", [("handle", "ana"), ("password", "correct horse battery")])
            let home = try await laptop.get("/", headers: [.acceptLanguage: "en-US"])
            // check
            #expect(home.body.contains("<html lang=\"pt\">"))
            #expect(home.body.contains("Você não está só."))
        }
    }

    /// An error page is in the language a signed-in person chose, and shows them signed in.
    @Test func anErrorPageKeepsTheSignedInPersonsLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var ana = Browser(client)
            try await ana.signUp("ana")
            try await ana.post("/language", [("lang", "pt"), ("back", "/")])
            // act
            let missing = try await ana.get("/voices/987654", headers: [.acceptLanguage: "en-US"])
            let unknownPage = try await ana.get("/no-such-page", headers: [.acceptLanguage: "en-US"])
            // check
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("<html lang=\"pt\">"))
            #expect(missing.body.contains("action=\"/signout\""))
            #expect(unknownPage.status == .notFound)
            #expect(unknownPage.body.contains("<html lang=\"pt\">"))
        }
    }
}

/// The sentences ChorusCore and ChorusStore refuse with are written in English; a page shows them in its reader's
/// language (`Strings/LANG/sentences.json`).
@Suite struct DomainSentencesTests {
    static let sources = LanguagesTests.strings.deletingLastPathComponent().deletingLastPathComponent()

    /// Every sentence the domain can refuse a person with is in the list of sentences to translate, so a new one can't
    /// reach a Spanish page in English unnoticed. (Apps' and operators' sentences are English, as Mastodon's are.)
    @Test func everySentenceTheDomainRefusesWithIsTranslated() throws {
        // setup
        let english = try LanguagesTests.table("en", "sentences")
        let forAppsOrOperators: Set = [
            "No worker knows how to run jobs of kind {0}.", "This database already has accounts; seeding is only for an empty benchmark database.",
            "This erasure job's payload “{0}” is not “account-id erase|keep_anonymously|erase_anonymous_later”.",
            "This erasure job's payload “{0}” is not a voice id.", "This export job's payload “{0}” is not an archive id.",
            "The scope “{0}” is not one Chorus knows. Use read, write, follow, push or a granular scope such as read:statuses.",
            "Choose period=hour or period=day.", "This voice is {0} already; nothing was changed. Reload the queue to see it as it is now.",
        ]
        // act
        var missing: [String] = []
        var found = 0
        for area in ["ChorusCore", "ChorusStore"] {
            let files = try #require(FileManager.default.enumerator(at: Self.sources.appendingPathComponent(area), includingPropertiesForKeys: nil))
            for case let file as URL in files where file.pathExtension == "swift" {
                let source = try String(contentsOf: file, encoding: .utf8)
                found += Self.refusals(in: source).count
                for sentence in Self.refusals(in: source) where english[sentence] == nil && !forAppsOrOperators.contains(sentence) {
                    missing.append("\(file.lastPathComponent): \(sentence)")
                }
            }
        }
        // check
        #expect(missing == [])
        #expect(found > 60)
    }

    /// The first string after each `InputError(` or `Refusal(`, with `\(…)` written as `{0}`, `{1}`….
    static func refusals(in source: String) -> [String] {
        var sentences: [String] = []
        for call in source.matches(of: /(InputError|Refusal)\(/) {
            let after = source[call.range.upperBound...].prefix(300)
            guard let literal = after.firstMatch(of: /"((?:[^"\\\n]|\\.)*)"/) else { continue }
            var sentence = String(literal.output.1)
            var place = 0
            while let interpolation = sentence.firstMatch(of: /\\\([^()]*(\([^()]*\))?[^()]*\)/) {
                sentence.replaceSubrange(interpolation.range, with: "{\(place)}")
                place += 1
            }
            if sentence.count > 12, sentence.contains(" ") { sentences.append(sentence) }
        }
        return sentences
    }

    @Test func aFormsErrorIsShownInThePagesLanguage() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            var reader = Browser(client)
            try await reader.post("/language", [("lang", "es"), ("back", "/")])
            // act
            let mismatch = try await reader.post(
                "/signup", [("handle", "lucia"), ("password", "correct horse battery"), ("password_confirmation", "another horse")])
            try await reader.signUp("lucia")
            try await reader.post("/language", [("lang", "fr"), ("back", "/")])
            let long = try await reader.post("/say", [("text", String(repeating: "a", count: 5001)), ("visibility", "public")])
            try await reader.post("/language", [("lang", "de"), ("back", "/")])
            let missing = try await reader.get("/voices/987654321")
            // check
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.body.contains("Las dos contraseñas no son iguales. Vuelve a escribirlas."))
            #expect(long.status == .unprocessableContent)
            #expect(long.body.contains("Votre histoire compte 5001 caractères ; la limite est de 5000."))
            #expect(long.body.contains("aria-describedby=\"form-error text-hint\" aria-invalid=\"true\""))
            #expect(mismatch.body.contains("autocomplete=\"new-password\" aria-invalid=\"true\" aria-describedby=\"form-error\""))
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("Diese Stimme ist nicht hier. Vielleicht wurde sie gelöscht"))
        }
    }
}

func browserCookie(_ page: Browser.Page, _ name: String) -> String? {
    page.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
}
