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

    static let areas = ["archive", "core", "help", "magnitude", "mastodon", "moderation", "notifications"]

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
            for placeholder in value.matches(of: /\{[a-z]+\}/).map({ String($0.output) }) {
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
}

func browserCookie(_ page: Browser.Page, _ name: String) -> String? {
    page.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
}
