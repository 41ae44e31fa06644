import Foundation
import Testing

@testable import ChorusCore

@Suite("Resource directory")
struct ResourceDirectoryTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test func bundledCopyIsIdenticalToTheDataFile() throws {
        // setup
        let data = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("data/resources.json"))
        let bundled = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("Sources/ChorusCore/Resources/resources.json"))
        // check
        #expect(data == bundled, "copy data/resources.json to Sources/ChorusCore/Resources/resources.json")
    }

    @Test func bundledDirectoryListsTheUnitedStatesHotlines() {
        // act
        let us = ResourceDirectory.bundled.help(for: "us")
        // check
        #expect(us.code == "US")
        #expect(us.emergency == "911")
        let rainn = us.resources.first { $0.name.contains("RAINN") }
        #expect(rainn?.phone == "800-656-4673")
        #expect(rainn?.chat == "https://hotline.rainn.org")
        #expect(us.resources.contains { $0.phone == "988" && $0.kind == .suicideCrisis })
    }

    @Test(
        "Every language's home countries are covered",
        arguments: ["US", "GB", "IE", "CA", "AU", "ES", "MX", "AR", "CO", "FR", "BE", "CH", "DE", "AT", "PT", "BR"]
    )
    func countryIsCovered(code: String) {
        // act
        let help = ResourceDirectory.bundled.help(for: code)
        // check
        #expect(help.code == code)
        #expect(!help.resources.isEmpty)
        #expect(help.resources.allSatisfy { $0.country == code })
    }

    @Test func unknownCountryFallsBackToInternational() {
        // act
        let help = ResourceDirectory.bundled.help(for: "JP")
        // check
        #expect(help.code == ResourceDirectory.internationalCode)
        #expect(help.resources.contains { $0.source == "https://findahelpline.com" })
    }

    @Test func internationalCodeIsNotACountry() {
        // act
        let help = ResourceDirectory.bundled.help(for: "international")
        // check
        #expect(help == ResourceDirectory.bundled.international)
        #expect(!ReaderCountry.isKnown("international", in: .bundled))
    }

    @Test func dialableNumberKeepsOnlyDigitsPlusAndStar() {
        // setup
        let resource = Self.resource(phone: "0 800 05 95 95")
        let star = Self.resource(phone: "*765")
        // check
        #expect(resource.dialable == "0800059595")
        #expect(star.dialable == "*765")
    }

    @Test(
        "Invalid entries are rejected with a message naming the entry and the field",
        arguments: [
            (#"{"code":"usa","name":"X","emergency":"911","resources":[]}"#, "code must be an ISO 3166-1 alpha-2"),
            (#"{"code":"US","name":"X","emergency":"nine","resources":[]}"#, "emergency must be digits only"),
            (#"{"code":"US","name":"X","emergency":"911","resources":[]}"#, "has no resources"),
            (Self.country(resource: #""phone":"call 911""#), "phone may hold only digits"),
            (Self.country(resource: #""chat":"http://x.org""#), "chat must be an https URL"),
            (Self.country(resource: #""country":"FR""#), "but it is listed under \"US\""),
            (Self.country(resource: #""languages":["English"]"#), "languages must be ISO 639-1 codes"),
            (Self.country(resource: #""phone":null"#), "needs a phone, text or chat"),
            (Self.country(resource: #""kind":"other""#), "kind"),
        ]
    )
    func invalidEntryIsRejected(country: String, message: String) {
        // setup
        let json = #"{"version":1,"countries":[\#(country),\#(Self.international)]}"#
        // act
        let error = Self.loadingError(json)
        // check
        #expect(error?.contains(message) == true, "got: \(error ?? "no error")")
        #expect(error?.contains("countries[0]") == true || message == "kind", "got: \(error ?? "no error")")
    }

    @Test func directoryWithoutInternationalFallbackIsRejected() {
        // setup
        let json = #"{"version":1,"countries":[\#(Self.country(resource: ""))]}"#
        // act
        let error = Self.loadingError(json)
        // check
        #expect(error?.contains("no \"international\" fallback entry") == true, "got: \(error ?? "no error")")
    }

    @Test func duplicateCountryIsRejected() {
        // setup
        let json = #"{"version":1,"countries":[\#(Self.country(resource: "")),\#(Self.country(resource: "")),\#(Self.international)]}"#
        // act
        let error = Self.loadingError(json)
        // check
        #expect(error?.contains("countries[1] (US): duplicate country code") == true, "got: \(error ?? "no error")")
    }

    @Test func missingFieldIsNamed() {
        // setup
        let json = #"{"version":1,"countries":[{"code":"US","name":"X","resources":[]}]}"#
        // act
        let error = Self.loadingError(json)
        // check
        #expect(error?.contains("missing field \"emergency\"") == true, "got: \(error ?? "no error")")
    }

    // MARK: - Fixtures

    static let international =
        #"{"code":"international","name":"Other","emergency":"112","resources":[{"country":"international","#
        + #""name":"Find A Helpline","phone":null,"text":null,"chat":null,"hours":"Varies","languages":["en"],"#
        + #""source":"https://findahelpline.com","kind":"directory"}]}"#

    /// A US entry with one valid resource, where `resource` overrides some of its fields.
    static func country(resource overrides: String) -> String {
        var fields: [String: String] = [
            "country": #""US""#, "name": #""Hotline""#, "phone": #""800-656-4673""#, "text": "null", "chat": "null",
            "hours": #""24/7""#, "languages": #"["en"]"#, "source": #""https://rainn.org""#, "kind": #""sexual-violence""#,
        ]
        for pair in overrides.split(separator: ",", maxSplits: 0) where !pair.isEmpty {
            let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
            fields[parts[0].trimmingCharacters(in: CharacterSet(charactersIn: "\""))] = parts[1]
        }
        let resource = fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return #"{"code":"US","name":"United States","emergency":"911","resources":[{\#(resource)}]}"#
    }

    static func resource(phone: String?) -> HelpResource {
        HelpResource(
            country: "FR", name: "Test", phone: phone, text: nil, chat: nil, hours: "24/7", languages: ["fr"],
            source: "https://example.org", kind: .sexualViolence
        )
    }

    static func loadingError(_ json: String) -> String? {
        do {
            _ = try ResourceDirectory.load(from: Data(json.utf8))
            return nil
        } catch {
            return "\(error)"
        }
    }
}
