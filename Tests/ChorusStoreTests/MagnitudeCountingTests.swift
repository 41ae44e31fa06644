import ChorusCore
import ChorusStore
import ChorusTestSupport
import SQLKit
import Testing

/// The per-hour, per-day and per-country counts, kept as voices are written, and what may be published of them.
@Suite struct MagnitudeCountingTests {
    func people(_ store: ChorusStore, _ count: Int, prefix: String = "p") async throws -> [Account] {
        var accounts: [Account] = []
        for index in 0..<count {
            accounts.append(try await store.createAccount(handle: try Handle("\(prefix)\(index)"), passwordHash: "x", recoveryCodes: []))
        }
        return accounts
    }

    func currentHour(_ store: ChorusStore) async throws -> MagnitudePoint {
        try #require(try await store.magnitudeHours().last)
    }

    func today(_ store: ChorusStore) async throws -> MagnitudePoint {
        try #require(try await store.magnitudeDays().last)
    }

    /// A moment of tomorrow (UTC): today's voices count in their countries by then.
    static let tomorrow = ChorusDatabase.now() + 86_400_000

    @Test func eachPersonCountsOncePerHourAndPerDay() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 3)
        // act
        for person in group {
            _ = try await store.say(VoiceDraft(kind: .meToo, text: "one"), by: person.id)
            _ = try await store.say(VoiceDraft(kind: .meToo, text: "two"), by: person.id)
        }
        // check
        #expect(try await currentHour(store).meTooPeople == 3)
        #expect(try await today(store).meTooPeople == 3)
        #expect(try await store.magnitude().meTooPeople == 3)
        await store.shutdown()
    }

    @Test func anonymousAndOnlyMeCountInEverySeriesLikePublic() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 3)
        // act
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .public), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .anonymous), by: group[1].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .onlyMe), by: group[2].id)
        // check
        #expect(try await currentHour(store).meTooPeople == 3)
        #expect(try await today(store).meTooPeople == 3)
        await store.shutdown()
    }

    @Test func simultaneousBeliefsFromOneAccountCountOnce() async throws {
        // setup: two apps, or a double click, send the same tap at the same moment
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 2)
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: group[0].id).voice
        // act
        let outcomes = await withTaskGroup(of: String.self) { tasks in
            for _ in 0..<12 {
                tasks.addTask {
                    do {
                        _ = try await store.believe(voiceID: voice.id, by: group[1].id)
                        return "counted"
                    } catch let refusal as Refusal where refusal.kind == .conflict {
                        return "already"
                    } catch {
                        return "error: \(error)"
                    }
                }
            }
            return await tasks.reduce(into: [String]()) { $0.append($1) }
        }
        // check
        #expect(outcomes.filter { $0 == "counted" }.count == 1)
        #expect(outcomes.filter { $0 == "already" }.count == 11, "\(outcomes)")
        #expect(try await store.voice(id: voice.id, viewer: nil)?.believeCount == 1)
        #expect(try await store.magnitude().beliefs == 1)
        await store.shutdown()
    }

    @Test func takenBackBeliefLeavesTheDayAndHour() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 3)
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: group[0].id).voice
        _ = try await store.believe(voiceID: voice.id, by: group[1].id)
        _ = try await store.believe(voiceID: voice.id, by: group[2].id)
        // act
        _ = try await store.unbelieve(voiceID: voice.id, by: group[2].id)
        _ = try await store.unbelieve(voiceID: voice.id, by: group[2].id)
        // check
        let hour = try await currentHour(store)
        #expect(hour.beliefs == 1)
        #expect(hour.believers == 1)
        #expect(try await today(store).beliefs == 1)
        #expect(try await store.magnitude().beliefs == 1)
        await store.shutdown()
    }

    @Test func deletedVoicesLeaveEverySeriesWithTheirBeliefs() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 2)
        let first = try await store.say(VoiceDraft(kind: .meToo, text: "one", country: "FR"), by: group[0].id).voice
        let second = try await store.say(VoiceDraft(kind: .meToo, text: "two", country: "FR"), by: group[0].id).voice
        _ = try await store.believe(voiceID: first.id, by: group[1].id)
        let pledge = try await store.say(VoiceDraft(kind: .pledge, text: "I will listen. #IWill"), by: group[1].id).voice
        // act
        try await store.deleteVoice(id: first.id, by: group[0].id)
        let afterFirst = try await today(store)
        let countriesAfterFirst = try await store.meTooByCountry(now: Self.tomorrow)
        try await store.deleteVoice(id: second.id, by: group[0].id)
        try await store.deleteVoice(id: pledge.id, by: group[1].id)
        // check
        #expect(afterFirst.meTooPeople == 1)
        #expect(afterFirst.beliefs == 0)
        #expect(countriesAfterFirst == [CountryCount(country: "FR", people: 1)])
        #expect(try await today(store) == MagnitudePoint(start: afterFirst.start))
        #expect(try await currentHour(store).meTooPeople == 0)
        #expect(try await store.meTooByCountry(now: Self.tomorrow).isEmpty)
        await store.shutdown()
    }

    /// A total that dropped by one as a named account vanished told that this person had said *me too* (even only in
    /// their journal): an erased account leaves the totals as they are, and nothing that ties it to them.
    @Test func anErasedAccountLeavesTheTotalsAsTheyAreAndNothingThatTiesItToThem() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 2)
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "me too"), by: group[0].id).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "only mine", visibility: .onlyMe, country: "FR"), by: group[1].id)
        _ = try await store.believe(voiceID: voice.id, by: group[1].id)
        let before = (try await today(store), try await currentHour(store), try await store.magnitude())
        // act
        try await store.deleteAccount(id: group[1].id, voices: .erase)
        try await store.runPendingJobs()
        // check
        #expect(try await today(store) == before.0)
        #expect(try await currentHour(store) == before.1)
        #expect(try await store.magnitude() == before.2)
        #expect(try await store.meTooByCountry(now: Self.tomorrow) == [CountryCount(country: "FR", people: 1)])
        #expect(try await store.voice(id: voice.id, viewer: nil)?.believeCount == 0)  // the voice's own list of believers
        let ties = try await store.database.read { db in
            // Every row left is the other person's: the erased one's named and journal rows both went.
            try await db.raw("SELECT COUNT(*) AS n FROM magnitude_people WHERE account_id <> \(bind: group[0].id)").first()?.decode(
                column: "n", as: Int.self)
        }
        #expect(ties == 0)
        await store.shutdown()
    }

    @Test func countryIsCountedOnlyWhenChosenAndOncePerPerson() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 4)
        // act
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "FR"), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "fr"), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", visibility: .anonymous, country: "FR"), by: group[1].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "BR"), by: group[2].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: ""), by: group[3].id)
        _ = try await store.say(VoiceDraft(kind: .pledge, text: "I will. #IWill", country: "DE"), by: group[3].id)
        await #expect(throws: InputError.self) { try await store.say(VoiceDraft(kind: .meToo, text: "", country: "ZZ"), by: group[3].id) }
        // check
        let countries = try await store.meTooByCountry(now: Self.tomorrow).sorted { $0.country < $1.country }
        #expect(countries == [CountryCount(country: "BR", people: 1), CountryCount(country: "FR", people: 2)])
        let days = try await store.magnitudeOpenData(now: Self.tomorrow)
        #expect(days.dropLast().last?.countries.sorted { $0.country < $1.country } == countries)
        await store.shutdown()
    }

    /// Published live, a country's count moved by one just as a named voice appeared on the public timeline, and told its
    /// writer's country. Countries are published as the day began; today's voices (and deletions) count from tomorrow.
    @Test func countriesArePublishedAsTheDayBegan() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 3)
        let before = try await store.meTooByCountry()
        // act
        let first = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "FR"), by: group[0].id).voice
        let afterFirst = try await store.meTooByCountry()
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "BR"), by: group[1].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "", country: "FR"), by: group[2].id)
        try await store.deleteVoice(id: first.id, by: group[0].id)
        let today = try await store.meTooByCountry()
        let openData = try await store.magnitudeOpenData()
        let fromTomorrow = try await store.meTooByCountry(now: Self.tomorrow).sorted { $0.country < $1.country }
        let openDataTomorrow = try await store.magnitudeOpenData(now: Self.tomorrow)
        // check
        #expect(before.isEmpty)
        #expect(afterFirst.isEmpty)
        #expect(today.isEmpty)
        #expect(openData.last?.countries == [])
        #expect(fromTomorrow == [CountryCount(country: "BR", people: 1), CountryCount(country: "FR", people: 1)])
        #expect(openDataTomorrow.dropLast().last?.countries.sorted { $0.country < $1.country } == fromTomorrow)
        await store.shutdown()
    }

    @Test func publishedTotalsAndTodayAreSuppressedBelowTenPeople() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 10)
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "one"), by: group[0].id).voice
        for person in group.dropFirst().prefix(8) { _ = try await store.say(VoiceDraft(kind: .meToo, text: ""), by: person.id) }
        for person in group.dropFirst() { _ = try await store.believe(voiceID: voice.id, by: person.id) }
        // act
        let nine = try await store.publishedMagnitude()
        _ = try await store.say(VoiceDraft(kind: .meToo, text: ""), by: group[9].id)
        let ten = try await store.publishedMagnitude()
        // check
        #expect(nine == PublishedMagnitude(meTooPeople: nil, beliefs: nil, pledges: nil, meTooToday: nil))
        #expect(ten.meTooPeople == 10)
        #expect(ten.meTooToday == 10)
        #expect(ten.beliefs == nil)  // nine believers
        #expect(ten.pledges == nil)
        let hour = try await currentHour(store).published
        #expect(hour.meTooPeople == 10)
        #expect(hour.beliefs == nil)
        await store.shutdown()
    }

    @Test func rebuildFromVoicesMatchesTheRunningCounts() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 4)
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo", country: "ES"), by: group[0].id).voice
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo", visibility: .anonymous), by: group[1].id)
        _ = try await store.say(VoiceDraft(kind: .pledge, text: "I will. #IWill"), by: group[2].id)
        _ = try await store.believe(voiceID: voice.id, by: group[3].id)
        let running = (try await store.magnitudeDays(), try await store.magnitudeHours(), try await store.meTooByCountry(now: Self.tomorrow))
        // act
        try await store.rebuildMagnitude()
        // check
        #expect(try await store.magnitudeDays() == running.0)
        #expect(try await store.magnitudeHours() == running.1)
        #expect(try await store.meTooByCountry(now: Self.tomorrow) == running.2)
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 2, beliefs: 1, pledges: 1))
        await store.shutdown()
    }

    @Test func simultaneousVoicesAddUpAcrossPartsAndARecountAgrees() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 40)
        // act: forty people say me too at once, each with two voices (their second adds a voice, not a person)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for person in group {
                tasks.addTask {
                    for _ in 0..<2 { _ = try await store.say(VoiceDraft(kind: .meToo, text: "#MeToo #Rise"), by: person.id) }
                }
            }
            try await tasks.waitForAll()
        }
        let running = (try await today(store), try await currentHour(store), try await store.trendingTags(limit: 10))
        let parts = try await store.database.read { db in
            try await db.raw("SELECT COUNT(DISTINCT part) AS n FROM magnitude_cell_parts").first()?.decode(column: "n", as: Int.self)
        }
        let counterParts = try await store.database.read { db in
            try await db.raw("SELECT COUNT(DISTINCT part) AS n FROM counter_parts WHERE name = 'metoo_people'").first()?.decode(
                column: "n", as: Int.self)
        }
        let totals = try await store.magnitude()
        let crossings = try await store.database.read { db in
            try await db.raw("SELECT changes FROM trend_snapshots WHERE id = 1").first()?.decode(column: "changes", as: Int.self)
        }
        try await store.rebuildMagnitude()
        // check
        #expect(TestDatabase.isPostgres ? (parts ?? 0) > 1 : parts == 1, "PostgreSQL spreads the counts over parts; SQLite keeps one")
        #expect(TestDatabase.isPostgres ? (counterParts ?? 0) > 1 : counterParts == 1, "and the running totals too")
        #expect(totals == Magnitude(meTooPeople: 40, beliefs: 0, pledges: 0))
        // The count starts at 1 (migration 8: no snapshot yet); each hashtag reached 10 people once, seen by one write.
        #expect(crossings == 1 + 2)
        #expect(running.0.meTooPeople == 40)
        #expect(running.1.meTooPeople == 40)
        #expect(running.2.map(\.name).sorted() == ["metoo", "rise"])
        #expect(running.2.map { $0.history.first?.accounts } == [40, 40])
        #expect(running.2.map { $0.history.first?.uses } == [80, 80])
        #expect(try await today(store) == running.0)
        #expect(try await store.trendingTags(limit: 10).map { $0.history.first?.accounts } == [40, 40])
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 40, beliefs: 0, pledges: 0))
        await store.shutdown()
    }

    @Test func anAnonymousVoiceCountsAsItselfInAHashtagsAccountsSoItNamesNoOpenPoster() async throws {
        // setup: ten people use a rare hashtag openly; one of them (the first) and a newcomer then use it anonymously
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 11)
        for person in group.prefix(10) { _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Rare openly"), by: person.id) }
        let open = try await store.trendingTags(limit: 10).first { $0.name == "rare" }?.history.first
        // act
        let byAnOpenPoster = try await store.say(VoiceDraft(kind: .meToo, text: "#Rare quietly", visibility: .anonymous), by: group[0].id).voice
        let afterOpenPoster = try await store.trendingTags(limit: 10).first { $0.name == "rare" }?.history.first
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "#Rare quietly too", visibility: .anonymous), by: group[10].id)
        let afterNewcomer = try await store.trendingTags(limit: 10).first { $0.name == "rare" }?.history.first
        try await store.deleteVoice(id: byAnOpenPoster.id, by: group[0].id)
        let afterDeletion = try await store.trendingTags(limit: 10).first { $0.name == "rare" }?.history.first
        try await store.rebuildMagnitude()
        let recounted = try await store.trendingTags(limit: 10).first { $0.name == "rare" }?.history.first
        // check: each anonymous voice adds one to both numbers, whoever wrote it
        #expect(open.map { [$0.uses, $0.accounts] } == [10, 10])
        #expect(afterOpenPoster.map { [$0.uses, $0.accounts] } == [11, 11])
        #expect(afterNewcomer.map { [$0.uses, $0.accounts] } == [12, 12])
        #expect(afterDeletion.map { [$0.uses, $0.accounts] } == [11, 11])
        #expect(recounted == afterDeletion)
        await store.shutdown()
    }

    /// The live totals move for every anonymous *me too*, whether or not its author spoke before: a total that stayed
    /// still would tell that the author had said it already (perhaps by name, today).
    @Test func anAnonymousMeTooCountsAsItsOwnPersonSoTheTotalsNameNoOpenPoster() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 2)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "openly"), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "in my journal", visibility: .onlyMe), by: group[0].id)
        let before = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        // act
        let byTheOpenPoster = try await store.say(VoiceDraft(kind: .meToo, text: "quietly", visibility: .anonymous), by: group[0].id).voice
        let afterOpenPoster = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "quietly too", visibility: .anonymous), by: group[1].id)
        let afterNewcomer = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        _ = try await store.deleteVoice(id: byTheOpenPoster.id, by: group[0].id)
        let afterDeletion = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        try await store.rebuildMagnitude()
        let recounted = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        // check
        #expect(before == (2, 2))  // the named voice, and the journal apart from it
        #expect(afterOpenPoster == (3, 3))
        #expect(afterNewcomer == (4, 4))
        #expect(afterDeletion == (3, 3))
        #expect(recounted == afterDeletion)
        await store.shutdown()
    }

    /// A person's first named *me too* moves the totals even when they had written in their journal before: a total that
    /// stayed still as a named voice appeared would tell that its writer keeps a private journal. Their journal entries
    /// count once together, apart from their named voices.
    @Test func aFirstNamedMeTooMovesTheTotalsSoTheyTellOfNoJournal() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 2)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "in my journal", visibility: .onlyMe), by: group[0].id)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "in my journal again", visibility: .onlyMe), by: group[0].id)
        let journal = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople, try await currentHour(store).meTooPeople)
        // act
        let named = try await store.say(VoiceDraft(kind: .meToo, text: "openly"), by: group[0].id).voice
        let afterNamed = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople, try await currentHour(store).meTooPeople)
        _ = try await store.say(VoiceDraft(kind: .meToo, text: "openly too"), by: group[1].id)
        _ = try await store.deleteVoice(id: named.id, by: group[0].id)
        let afterDeletion = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople, try await currentHour(store).meTooPeople)
        try await store.rebuildMagnitude()
        let recounted = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople, try await currentHour(store).meTooPeople)
        // check
        #expect(journal == (1, 1, 1))
        #expect(afterNamed == (2, 2, 2))
        #expect(afterDeletion == (2, 2, 2))  // the journal and the other person
        #expect(recounted == afterDeletion)
        await store.shutdown()
    }

    /// An anonymous *me too* written before such voices counted as themselves, or a journal entry written before "only
    /// me" voices counted apart, was counted under its author's account: deleting it takes it back from there.
    @Test(arguments: [Visibility.anonymous, .onlyMe])
    func anOlderVoiceCountedUnderItsAuthorsAccountIsTakenBackFromThere(visibility: Visibility) async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let author = try await people(store, 1)[0]
        let voice = try await store.say(VoiceDraft(kind: .meToo, text: "quietly", visibility: visibility), by: author.id).voice
        try await store.database.write { db in
            try await db.raw("UPDATE magnitude_people SET account_id = \(bind: author.id) WHERE kind = 'metoo'").run()
        }
        let before = (try await store.magnitude().meTooPeople, try await today(store).meTooPeople)
        // act
        _ = try await store.deleteVoice(id: voice.id, by: author.id)
        // check
        let left = try await store.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM magnitude_people").first()?.decode(column: "n", as: Int.self)
        }
        #expect(before == (1, 1))
        #expect(try await store.magnitude().meTooPeople == 0)
        #expect(try await today(store).meTooPeople == 0)
        #expect(left == 0)
        await store.shutdown()
    }

    @Test func dayBucketsFollowTheTimeEachVoiceWasWritten() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        let group = try await people(store, 3)
        for person in group { _ = try await store.say(VoiceDraft(kind: .meToo, text: ""), by: person.id) }
        // act: the first person's voice was written yesterday (moved by hand, then recounted)
        try await store.database.write { db in
            try await db.raw("UPDATE voices SET created_at = created_at - 86400000 WHERE account_id = \(bind: group[0].id)").run()
        }
        try await store.rebuildMagnitude()
        // check
        let days = try await store.magnitudeDays()
        #expect(days.count == 2)
        #expect(days.map(\.meTooPeople) == [1, 2])
        #expect(days[1].start - days[0].start == 86_400)
        await store.shutdown()
    }

    @Test func benchmarkSeedMakesTheDescribedVoicesAndCountsThem() async throws {
        // setup
        let store = try await TestDatabase.freshStore()
        // act: 20 voices by 3 people, over 2 days
        try await store.seedForBenchmark(voices: 20, people: 3, days: 2)
        // check: 12 me too, 4 pledges, 4 replies (each to the me too two before it), every second me too believed
        let rows = try await store.database.read { db in
            try await db.raw("SELECT id, account_id, kind, in_reply_to_id, thread_root_id, country, believe_count FROM voices ORDER BY id").all()
        }
        #expect(rows.count == 20)
        let kinds = try rows.map { try $0.decode(column: "kind", as: String.self) }
        #expect(kinds.filter { $0 == "metoo" }.count == 12)
        #expect(kinds.filter { $0 == "pledge" }.count == 4)
        #expect(Array(kinds.prefix(5)) == ["metoo", "metoo", "metoo", "pledge", "reply"])
        let reply = rows[4]
        #expect(try reply.decode(column: "in_reply_to_id", as: Int64?.self) == 3)
        #expect(try reply.decode(column: "thread_root_id", as: Int64.self) == 3)
        #expect(try rows[0].decode(column: "in_reply_to_id", as: Int64?.self) == nil)
        #expect(try rows[0].decode(column: "country", as: String?.self) == "FR")
        #expect(try rows[1].decode(column: "believe_count", as: Int.self) == 1)
        #expect(try rows[0].decode(column: "believe_count", as: Int.self) == 0)
        #expect(Set(try rows.map { try $0.decode(column: "account_id", as: Int64.self) }) == [1, 2, 3])
        #expect(try await store.magnitude() == Magnitude(meTooPeople: 3, beliefs: 6, pledges: 4))
        // and an empty seed writes no voice
        let empty = try await TestDatabase.freshStore()
        try await empty.seedForBenchmark(voices: 0, people: 2, days: 1)
        #expect(try await empty.magnitude() == Magnitude(meTooPeople: 0, beliefs: 0, pledges: 0))
        await empty.shutdown()
        await store.shutdown()
    }
}
