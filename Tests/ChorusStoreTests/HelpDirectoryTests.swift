import ChorusCore
import ChorusStore
import ChorusTestSupport
import Foundation
import Testing

/// The help directory in the database: seeded from the bundled copy, replaced whole, edited only into valid shapes.
@Suite struct HelpDirectoryTests {
    static let smallDirectory = """
        {"version": 1, "countries": [
          {"code": "FR", "name": "France", "emergency": "112", "resources": [
            {"country": "FR", "name": "3919 — Violences Femmes Info", "phone": "3919", "text": null, "chat": null, "hours": "24/7",
             "languages": ["fr"], "source": "https://arretonslesviolences.gouv.fr", "kind": "domestic-violence"}]},
          {"code": "international", "name": "Other countries", "emergency": "112", "resources": [
            {"country": "international", "name": "Find A Helpline", "phone": null, "text": null, "chat": null, "hours": "Varies",
             "languages": ["en"], "source": "https://findahelpline.com", "kind": "directory"}]}
        ]}
        """

    @Test func firstStartSeedsTheBundledDirectory() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act
        let stored = try await store.helpDirectory()
        // check
        #expect(stored?.countries == ResourceDirectory.bundled.countries)
        #expect(stored?.help(for: "us").emergency == "911")
        await store.shutdown()
    }

    @Test func replacingTheDirectoryKeepsOnlyTheNewEntries() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let directory = try ResourceDirectory.load(from: Data(Self.smallDirectory.utf8))
        // act
        try await store.replaceHelpDirectory(directory)
        let stored = try await store.helpDirectory()
        // check
        #expect(stored?.countries == directory.countries)
        #expect(stored?.help(for: "US").code == "international")
        #expect(stored?.help(for: "FR").resources.first?.phone == "3919")
        await store.shutdown()
    }

    @Test func anEditThatBreaksARuleChangesNothing() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let before = try await store.helpDirectory()
        // act
        await #expect(throws: ResourceDirectory.DirectoryError.self) {
            try await store.updateHelpDirectory { directory in
                let france = directory.help(for: "FR")
                let broken = HelpResource(
                    country: "FR", name: "Broken", phone: "call me maybe", text: nil, chat: nil, hours: "24/7", languages: ["fr"],
                    source: "https://example.org", kind: .victimSupport)
                return ResourceDirectory(
                    countries: directory.countries.map {
                        $0.code == "FR" ? CountryHelp(code: "FR", name: france.name, emergency: france.emergency, resources: [broken]) : $0
                    })
            }
        }
        // check
        #expect(try await store.helpDirectory()?.countries == before?.countries)
        await store.shutdown()
    }

    @Test func aValidEditIsStored() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act
        try await store.updateHelpDirectory { directory in
            ResourceDirectory(
                countries: directory.countries.map {
                    $0.code == "DE" ? CountryHelp(code: "DE", name: "Deutschland", emergency: "110", resources: $0.resources) : $0
                })
        }
        // check
        let germany = try await store.helpDirectory()?.help(for: "DE")
        #expect(germany?.name == "Deutschland")
        #expect(germany?.emergency == "110")
        #expect(germany?.resources == ResourceDirectory.bundled.help(for: "DE").resources)
        await store.shutdown()
    }

    @Test func crisisListShowsFlaggedVoicesNewestFirstAndNeverAnAnonymousAuthor() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let ana = try await store.createAccount(handle: try Handle("ana"), passwordHash: "x", recoveryCodes: [])
        let crisis = VoiceScreening(crisis: true)
        let publicVoice = try await store.say(VoiceDraft(kind: .meToo, text: "I can't go on"), by: ana.id, screening: crisis).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: ana.id)
        let anonymous = try await store.say(VoiceDraft(kind: .meToo, text: "no way out", visibility: .anonymous), by: ana.id, screening: crisis).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "only for me", visibility: .onlyMe), by: ana.id, screening: crisis)
        // act
        let flagged = try await store.crisisVoices()
        // check
        #expect(flagged.map(\.id) == [anonymous.id, publicVoice.id])
        #expect(flagged[0].author == .someone)
        #expect(flagged[1].author == .account(id: ana.id, handle: "ana", displayName: "ana"))
        #expect(flagged.allSatisfy { !$0.isMine })
        await store.shutdown()
    }
}
