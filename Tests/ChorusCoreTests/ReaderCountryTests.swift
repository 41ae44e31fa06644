import Testing

@testable import ChorusCore

@Suite("Reader country and language")
struct ReaderCountryTests {
    @Test(
        "Accept-Language gives the reader's country",
        arguments: [
            ("es-MX,es;q=0.9", "MX"),
            ("fr", "FR"),
            ("pt", "PT"),
            ("pt-BR", "BR"),
            ("pt-br,pt;q=0.8", "BR"),
            ("en", "US"),
            ("en-GB,en;q=0.8", "GB"),
            ("de-AT", "AT"),
            ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "CH"),
            ("es_AR", "AR"),
            ("zh-Hant-TW", "TW"),
        ]
    )
    func countryFromHeader(header: String, expected: String) {
        // act
        let country = ReaderCountry.from(acceptLanguage: header)
        // check
        #expect(country == expected)
    }

    @Test func higherQualityWinsOverHeaderOrder() {
        // setup
        let header = "en;q=0.3, de-AT;q=0.9, fr;q=0.5"
        // act
        let country = ReaderCountry.from(acceptLanguage: header)
        // check
        #expect(country == "AT")
    }

    /// Spanish of Latin America ("es-419") is not Spain: no country is guessed, and the international help applies.
    @Test func aLanguageOfAWiderAreaGuessesNoCountry() {
        // act
        let latinAmerica = ReaderCountry.from(acceptLanguage: "es-419,es;q=0.9")
        let mexicoFirst = ReaderCountry.from(acceptLanguage: "es-MX,es-419;q=0.9")
        // check
        #expect(latinAmerica == nil)
        #expect(mexicoFirst == "MX")
    }

    @Test func languageRefusedWithZeroQualityIsSkipped() {
        // act
        let country = ReaderCountry.from(acceptLanguage: "fr-BE;q=0, es")
        // check
        #expect(country == "ES")
    }

    @Test func languageWithoutHomeCountryIsSkipped() {
        // act
        let country = ReaderCountry.from(acceptLanguage: "it, pt-BR;q=0.5")
        // check
        #expect(country == "BR")
    }

    @Test(
        "No usable hint gives no country",
        arguments: [nil, "", "*", "it", "x;q=abc", "es;q=2"] as [String?]
    )
    func noHintGivesNil(header: String?) {
        // act
        let country = ReaderCountry.from(acceptLanguage: header)
        // check
        #expect(country == nil)
    }

    @Test func knownCountriesAreThoseWithTheirOwnEntry() {
        // check
        #expect(ReaderCountry.isKnown("br", in: .bundled))
        #expect(ReaderCountry.isKnown("MX", in: .bundled))
        #expect(!ReaderCountry.isKnown("JP", in: .bundled))
    }

    @Test(
        "Language is the best supported match",
        arguments: [
            (nil, Language.en),
            ("", .en),
            ("pt-BR,pt;q=0.9", .pt),
            ("it;q=1, de;q=0.5", .de),
            ("en;q=0.2, fr;q=0.8", .fr),
            ("ja", .en),
            ("ES-mx", .es),
        ] as [(String?, Language)]
    )
    func languageFromHeader(header: String?, expected: Language) {
        // act
        let language = Language.from(acceptLanguage: header)
        // check
        #expect(language == expected)
    }

    @Test func languageGuessRecognisesEachLanguage() {
        // check
        #expect(Language.guess(from: "he is outside my door") == .en)
        #expect(Language.guess(from: "tengo miedo, está en la puerta") == .es)
        #expect(Language.guess(from: "je suis en danger, il est là") == .fr)
        #expect(Language.guess(from: "ich bin nicht sicher, er ist hier") == .de)
        #expect(Language.guess(from: "eu estou com medo, ele está aqui") == .pt)
    }
}
