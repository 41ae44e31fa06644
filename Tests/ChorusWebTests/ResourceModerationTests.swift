import ChorusCore
import ChorusStore
import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Moderators keep the hotlines right from the web, and operators load a whole directory with `chorus resources import`.
@Suite struct ResourceModerationTests {
    @Test func moderatorEditsAResourceAndReadersSeeItAtOnce() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var moderator = Browser(client)
            try await moderator.signUpModerator("mod", store: setup.store)
            let list = try await moderator.get("/moderation/resources")
            let form = try await moderator.get("/moderation/resources/FR/0")
            // act
            let saved = try await moderator.post(
                "/moderation/resources/FR/0",
                [
                    ("country", "FR"), ("name", "3919 — Violences Femmes Info (nuit et jour)"), ("phone", "3919"), ("text", ""),
                    ("chat", ""), ("hours", "24/7"), ("languages", "fr, en"), ("source", "https://arretonslesviolences.gouv.fr"),
                    ("kind", "domestic-violence"),
                ])
            var reader = Browser(client)
            let help = try await reader.get("/help", headers: [.acceptLanguage: "fr-FR"])
            // check
            #expect(list.status == .ok)
            #expect(list.body.contains("href=\"/moderation/resources/FR/0\""))
            #expect(form.body.contains("value=\"3919\""))
            #expect(saved.status == .seeOther)
            #expect(help.body.contains("(nuit et jour)"))
            #expect(help.body.contains("Français, English"))
            #expect(try await setup.store.helpDirectory()?.help(for: "FR").resources[0].languages == ["fr", "en"])
        }
        await setup.store.shutdown()
    }

    @Test func aResourceThatBreaksARuleIsRefusedWithTheRuleAndTheFormKept() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var moderator = Browser(client)
            try await moderator.signUpModerator("mod", store: setup.store)
            let before = try await setup.store.helpDirectory()
            // act
            let badPhone = try await moderator.post(
                "/moderation/resources/DE/0",
                [
                    ("country", "DE"), ("name", "Hilfetelefon"), ("phone", "call us"), ("text", ""), ("chat", ""), ("hours", "24/7"),
                    ("languages", "de"), ("source", "https://www.hilfetelefon.de"), ("kind", "domestic-violence"),
                ])
            let badSource = try await moderator.post(
                "/moderation/resources",
                [
                    ("country", "DE"), ("country_name", ""), ("emergency", ""), ("name", "Neu"), ("phone", "0800 123"), ("text", ""),
                    ("chat", ""), ("hours", "24/7"), ("languages", "de"), ("source", "http://insecure.example"), ("kind", "victim-support"),
                ])
            let newCountryWithoutNumber = try await moderator.post(
                "/moderation/resources",
                [
                    ("country", "NL"), ("country_name", ""), ("emergency", ""), ("name", "Centrum Seksueel Geweld"), ("phone", "0800 0188"),
                    ("text", ""), ("chat", ""), ("hours", "24/7"), ("languages", "nl"), ("source", "https://centrumseksueelgeweld.nl"),
                    ("kind", "sexual-violence"),
                ])
            // check
            #expect(badPhone.status == .unprocessableContent)
            #expect(badPhone.body.contains("phone may hold only digits"))
            #expect(badPhone.body.contains("value=\"call us\""))
            #expect(badSource.status == .unprocessableContent)
            #expect(badSource.body.contains("source must be an https URL"))
            #expect(newCountryWithoutNumber.status == .unprocessableContent)
            #expect(newCountryWithoutNumber.body.contains("emergency number"))
            #expect(try await setup.store.helpDirectory()?.countries == before?.countries)
        }
        await setup.store.shutdown()
    }

    @Test func aDeleteOrEditFromAPageShownBeforeAnotherModeratorsChangeIsRefusedNotAppliedToAnotherLine() async throws {
        // setup: three lines in a new country, and two moderators looking at the same list
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var one = Browser(client)
            try await one.signUpModerator("mod_one", store: setup.store)
            var two = Browser(client)
            try await two.signUpModerator("mod_two", store: setup.store)
            for (index, name) in ["Line A", "Line B", "Line C suicide line"].enumerated() {
                let added = try await one.post(
                    "/moderation/resources",
                    [
                        ("country", "is"), ("country_name", "Iceland"), ("emergency", "112"), ("name", name), ("phone", "0800 000\(index)"),
                        ("text", ""), ("chat", ""), ("hours", "24/7"), ("languages", "is"), ("source", "https://example.is"),
                        ("kind", "sexual-violence"),
                    ])
                #expect(added.status == .seeOther)
            }
            let list = try await one.get("/moderation/resources")
            // act: moderator two deletes Line A; moderator one, from the older page, deletes Line B (then at index 1)
            let first = try await two.post("/moderation/resources/IS/0/delete", [("expected_name", "Line A")])
            let stale = try await one.post("/moderation/resources/IS/1/delete", [("expected_name", "Line B")])
            let staleEdit = try await one.post(
                "/moderation/resources/IS/1",
                [
                    ("expected_name", "Line B"), ("country", "IS"), ("name", "Line B renamed"), ("phone", "0800 0001"), ("text", ""),
                    ("chat", ""), ("hours", "24/7"), ("languages", "is"), ("source", "https://example.is"), ("kind", "sexual-violence"),
                ])
            let gone = try await one.post("/moderation/resources/IS/5/delete", [("expected_name", "Line B")])
            // check
            #expect(list.body.contains("name=\"expected_name\" value=\"Line B\""))
            #expect(first.status == .seeOther)
            #expect(stale.status == .unprocessableContent)
            #expect(stale.body.contains("another moderator may have changed it"))
            #expect(staleEdit.status == .unprocessableContent)
            #expect(gone.status == .unprocessableContent)
            let names = try await setup.store.helpDirectory()?.countries.first { $0.code == "IS" }?.resources.map(\.name)
            #expect(names == ["Line B", "Line C suicide line"])
        }
        await setup.store.shutdown()
    }

    @Test func moderatorAddsANewCountryThenDeletesItsOnlyResource() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var moderator = Browser(client)
            try await moderator.signUpModerator("mod", store: setup.store)
            // act
            let added = try await moderator.post(
                "/moderation/resources",
                [
                    ("country", "nl"), ("country_name", "Netherlands"), ("emergency", "112"), ("name", "Centrum Seksueel Geweld"),
                    ("phone", "0800 0188"), ("text", ""), ("chat", ""), ("hours", "24/7"), ("languages", "nl, en"),
                    ("source", "https://centrumseksueelgeweld.nl"), ("kind", "sexual-violence"),
                ])
            var reader = Browser(client)
            let dutch = try await reader.get("/help", headers: [.acceptLanguage: "nl-NL"])
            let deleted = try await moderator.post("/moderation/resources/NL/0/delete", [])
            let afterDelete = try await reader.get("/help", headers: [.acceptLanguage: "nl-NL"])
            let emergencyChanged = try await moderator.post("/moderation/countries/IE", [("name", "Ireland"), ("emergency", "999")])
            let badEmergency = try await moderator.post("/moderation/countries/IE", [("name", "Ireland"), ("emergency", "nine")])
            // check
            #expect(added.status == .seeOther)
            #expect(dutch.body.contains("Centrum Seksueel Geweld"))
            #expect(dutch.body.contains("href=\"tel:08000188\""))
            #expect(deleted.status == .seeOther)
            #expect(!afterDelete.body.contains("Centrum Seksueel Geweld"))
            #expect(afterDelete.body.contains("Find A Helpline"))
            #expect(emergencyChanged.status == .seeOther)
            #expect(try await setup.store.helpDirectory()?.help(for: "IE").emergency == "999")
            #expect(badEmergency.status == .unprocessableContent)
            #expect(badEmergency.body.contains("emergency must be digits only"))
        }
        await setup.store.shutdown()
    }

    @Test func onlyModeratorsMayEditTheDirectory() async throws {
        // setup
        let setup = try await makeAppWithStore()
        try await setup.app.test(.live) { client in
            var person = Browser(client)
            try await person.signUp("ana")
            var signedOut = Browser(client)
            // act
            let list = try await person.get("/moderation/resources")
            let delete = try await person.post("/moderation/resources/US/0/delete", [])
            let anonymous = try await signedOut.get("/moderation/resources")
            // check
            #expect(list.status == .forbidden)
            #expect(delete.status == .forbidden)
            #expect(anonymous.status == .seeOther)
            #expect(try await setup.store.helpDirectory()?.help(for: "US").resources.count == 3)
        }
        await setup.store.shutdown()
    }

    /// A command that manages an instance, pointed at a folder with no database, says so instead of making a new,
    /// empty one (the account or the hotlines never reached the instance).
    @Test func commandsForAnInstanceRefuseAFolderWithoutOne() throws {
        // setup
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-none-\(UUID().uuidString)")
        let good = empty.appendingPathExtension("json")
        try Data(ChorusCommand.smallDirectory.utf8).write(to: good)
        // act
        let imported = try ChorusCommand.run(["resources", "import", good.path, "--data-dir", empty.path])
        // check
        #expect(imported.status != 0)
        #expect(imported.output.contains("There is no Chorus database at"))
        #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("chorus.sqlite").path))
    }

    @Test func importCommandValidatesThenReplacesTheDirectory() async throws {
        // setup
        let engine = try await TestDatabase.freshEngine()
        let store = try await ChorusStore.open(engine, logger: Logger(label: "test"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let broken = folder.appendingPathComponent("broken.json")
        try Data(#"{"version": 1, "countries": [{"code": "fr", "name": "France", "emergency": "112", "resources": []}]}"#.utf8).write(to: broken)
        let good = folder.appendingPathComponent("good.json")
        try Data(ChorusCommand.smallDirectory.utf8).write(to: good)
        // act
        let refused = try ChorusCommand.run(["resources", "import", broken.path, "--database-url", TestDatabase.databaseURL(engine)])
        let afterRefusal = try await store.helpDirectory()
        let imported = try ChorusCommand.run(["resources", "import", good.path, "--database-url", TestDatabase.databaseURL(engine)])
        let afterImport = try await store.helpDirectory()
        // check
        #expect(refused.status != 0)
        #expect(refused.output.contains("nothing changed"))
        #expect(refused.output.contains("ISO 3166-1 alpha-2"))
        #expect(afterRefusal?.countries == ResourceDirectory.bundled.countries)
        #expect(imported.status == 0)
        #expect(imported.output.contains("Imported 2 resources"))
        #expect(afterImport?.countries.map(\.code) == ["FR", "international"])
        await store.shutdown()
    }
}

/// Runs the built `chorus` executable, as an operator would.
enum ChorusCommand {
    static let smallDirectory = """
        {"version": 1, "countries": [
          {"code": "FR", "name": "France", "emergency": "112", "resources": [
            {"country": "FR", "name": "3919", "phone": "3919", "text": null, "chat": null, "hours": "24/7",
             "languages": ["fr"], "source": "https://arretonslesviolences.gouv.fr", "kind": "domestic-violence"}]},
          {"code": "international", "name": "Other countries", "emergency": "112", "resources": [
            {"country": "international", "name": "Find A Helpline", "phone": null, "text": null, "chat": null, "hours": "Varies",
             "languages": ["en"], "source": "https://findahelpline.com", "kind": "directory"}]}
        ]}
        """

    /// The executable next to this test bundle in the build folder.
    static var executable: URL {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("chorus").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("chorus")
    }

    /// Runs the command and waits for it. Through `posix_spawn` itself, not Foundation's `Process`: `Process.run()`
    /// reads the list of open files to close them in the child, and crashed (a bad pointer in `memcpy`) while the tests
    /// running beside it opened and closed sockets.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw CocoaError(.fileReadUnknown) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        let path = executable.path
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(pipeEnds[1])
        guard spawned == 0 else {
            close(pipeEnds[0])
            throw CocoaError(.executableLoad)
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(pipeEnds[0])
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }
}
