import Testing

@testable import ChorusCore

/// A display name holds only what a reader can see.
@Suite struct DisplayNameTests {
    @Test(arguments: ["Ana", "María José", "李小龙", "Zoë ✨", "  Bea  ", "", "Ağa-Ölçü (she/her)", "Kim 🏳️‍🌈", "Dr 👩‍⚕️", "می‌خواهم"])
    func readableNamesAreKept(name: String) throws {
        // act
        let kept = try DisplayName.validated(name)
        // check
        #expect(kept == name.trimmingWhitespace)
    }

    @Test(arguments: [
        "\u{202E}olleh", "a\u{07}b", "a\u{1B}[2Jb", "\u{3164}", "\u{FEFF}mod1", "mod\u{200B}1", "a\u{2066}b", "\u{200D}\u{200D}",
        "Z" + String(repeating: "\u{0336}", count: 300),
    ])
    func hiddenOrOverloadedNamesAreRefusedWithAMessage(name: String) {
        // act
        let refusal = #expect(throws: InputError.self) { try DisplayName.validated(name) }
        // check
        #expect(refusal?.field == "display_name")
        #expect(refusal?.message.isEmpty == false)
    }
}
