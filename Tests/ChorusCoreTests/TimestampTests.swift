import ChorusCore
import Foundation
import Testing

/// Timestamps written by arithmetic agree with Foundation's ISO 8601 formatter, across leap years and centuries.
@Suite struct TimestampTests {
    @Test func agreesWithFoundationAcrossFourCenturies() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var milliseconds: Int64 = -2_208_988_800_000  // 1900-01-01
        while milliseconds < 10_000_000_000_000 {  // 2286
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(Timestamp.iso8601(milliseconds: milliseconds) == expected)
            milliseconds += 86_400_000 * 37 + 3_723_456  // a little over 37 days, so every time of day and month comes up
        }
    }

    @Test func writesTheFormsPagesAndTheAPIUse() {
        let moment: Int64 = 1_795_269_909_123  // 2026-11-21T14:05:09.123Z
        #expect(Timestamp.iso8601(milliseconds: moment) == "2026-11-21T14:05:09.123Z")
        #expect(Timestamp.iso8601(milliseconds: moment, fractional: false) == "2026-11-21T14:05:09Z")
        #expect(Timestamp.day(milliseconds: moment) == "2026-11-21")
        #expect(Timestamp.readable(milliseconds: moment) == "2026-11-21 14:05 UTC")
        #expect(Timestamp.iso8601(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.iso8601(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}

@Suite struct NumberTextTests {
    @Test func groupsDigitsByThreesWithANarrowSpace() {
        #expect(0.groupedText == "0")
        #expect(999.groupedText == "999")
        #expect(1000.groupedText == "1\u{202F}000")
        #expect(12_345_678.groupedText == "12\u{202F}345\u{202F}678")
        #expect((-4321).groupedText == "-4\u{202F}321")
    }
}
