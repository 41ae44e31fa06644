import ChorusCore
import Testing

/// The pure rules behind the magnitude: buckets, the minimum cell, countries and the trend score.
@Suite struct MagnitudeCoreTests {
    @Test func bucketsStartOnUTCHoursAndDays() {
        // setup
        let millis: Int64 = 1_763_735_723_456  // 2025-11-21T14:35:23.456Z
        // act
        let hour = MagnitudePeriod.hour.start(ofMilliseconds: millis)
        let day = MagnitudePeriod.day.start(ofMilliseconds: millis)
        // check
        #expect(hour == 1_763_733_600)
        #expect(day == 1_763_683_200)
        #expect(day % 86_400 == 0)
    }

    @Test func countsOfFewerThanTenPeopleAreNeverPublished() {
        // setup
        let k = Magnitude.minimumCell
        // act
        let below = Magnitude.publishable(people: k - 1)
        let at = Magnitude.publishable(people: k)
        let tapsByFewPeople = Magnitude.publishable(500, people: 3)
        let tapsByEnough = Magnitude.publishable(500, people: k)
        // check
        #expect(k == 10)
        #expect(below == nil)
        #expect(at == 10)
        #expect(tapsByFewPeople == nil)
        #expect(tapsByEnough == 500)
    }

    @Test func smallCountriesAreMergedIntoOtherOrSuppressed() {
        // setup
        let counts = [
            CountryCount(country: "FR", people: 12), CountryCount(country: "DE", people: 30), CountryCount(country: "ES", people: 4),
            CountryCount(country: "IT", people: 3),
        ]
        // act
        let merged = CountryCount.published(counts)
        let tooFew = CountryCount.published([CountryCount(country: "FR", people: 12), CountryCount(country: "ES", people: 9)])
        let enoughSmall = CountryCount.published(counts + [CountryCount(country: "PT", people: 5)])
        // check
        // Rounded down to tens: a day's change of a country's count says only "some people", never how few.
        #expect(merged.shown == [CountryCount(country: "DE", people: 30), CountryCount(country: "FR", people: 10)])
        #expect(merged.other == nil)
        #expect(tooFew.other == nil)
        #expect(enoughSmall.other == 10)
    }

    @Test func countryIsOptionalAndOnlyAKnownCode() throws {
        // setup, act, check
        #expect(try CountryChoice.parse(nil) == nil)
        #expect(try CountryChoice.parse("") == nil)
        #expect(try CountryChoice.parse("fr") == "FR")
        #expect(throws: InputError.self) { try CountryChoice.parse("XX") }
        #expect(throws: InputError.self) { try CountryChoice.parse("France") }
        #expect(CountryChoice.codes.contains("BR"))
        #expect(!CountryChoice.codes.contains("EU"))
        #expect(CountryChoice.codes.count > 240)
    }

    @Test func trendScoreIsSquaredSurpriseOverYesterday() {
        // setup
        let fresh = TrendScore.score(today: 20, yesterday: 0, secondsSinceLastNewAccount: 0)
        let grown = TrendScore.score(today: 20, yesterday: 10, secondsSinceLastNewAccount: 0)
        // act
        let steady = TrendScore.score(today: 10, yesterday: 10, secondsSinceLastNewAccount: 0)
        let fading = TrendScore.score(today: 10, yesterday: 30, secondsSinceLastNewAccount: 0)
        let tooFew = TrendScore.score(today: 9, yesterday: 0, secondsSinceLastNewAccount: 0)
        // check
        #expect(fresh == 361)  // (20 − 1)² / 1
        #expect(grown == 10)  // (20 − 10)² / 10
        #expect(steady == 0)
        #expect(fading == 0)
        #expect(tooFew == 0)
    }

    @Test func trendScoreHalvesEveryHalfLifeWithoutNewAccounts() {
        // setup
        let now = TrendScore.score(today: 20, yesterday: 10, secondsSinceLastNewAccount: 0)
        // act
        let later = TrendScore.score(today: 20, yesterday: 10, secondsSinceLastNewAccount: TrendScore.halfLife)
        let muchLater = TrendScore.score(today: 20, yesterday: 10, secondsSinceLastNewAccount: 2 * TrendScore.halfLife)
        // check
        #expect(TrendScore.halfLife == 12 * 3600)
        #expect(abs(later - now / 2) < 1e-9)
        #expect(abs(muchLater - now / 4) < 1e-9)
    }
}
