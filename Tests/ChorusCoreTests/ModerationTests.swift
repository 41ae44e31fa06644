import ChorusCore
import Testing

/// Moderation's pure parts: a decision needs a rule and a reason; months are counted in UTC.
@Suite struct ModerationTests {
    @Test func aDecisionNeedsARuleAndAReason() throws {
        // setup / act
        let decision = try ModerationDecision(action: .hide, rule: " 2 ", reason: "  A threat.  ")
        // check
        #expect(decision.ruleNumber == 2)
        #expect(decision.reason == "A threat.")
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: nil, reason: "x") }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: "0", reason: "x") }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: "one", reason: "x") }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: "1", reason: "\n ") }
        #expect(throws: InputError.self) { try ModerationDecision(action: .hide, rule: "1", reason: String(repeating: "a", count: 2_001)) }
    }

    @Test func onlyActionsThatTakeSomethingAwayCanBeAppealed() {
        #expect(ModerationActionKind.allCases.filter(\.isAppealable) == [.hide, .suspend, .reject])
    }

    @Test func monthsAreCountedInUTC() {
        #expect(ModerationMonth.of(milliseconds: 0) == "1970-01")
        #expect(ModerationMonth.of(milliseconds: 951_782_400_000) == "2000-02")  // 2000-02-29T00:00Z
        #expect(ModerationMonth.of(milliseconds: 1_798_761_599_999) == "2026-12")  // 2026-12-31T23:59:59.999Z
        #expect(ModerationMonth.of(milliseconds: 1_798_761_600_000) == "2027-01")
        #expect(ModerationMonth.of(milliseconds: -1) == "1969-12")
    }
}
