import ChorusCore
import Foundation
import Testing

@testable import ChorusWeb

/// Form fields are decoded byte by byte: `+` is a space, `%XX` a byte, and a broken escape leaves the value as it came.
@Suite struct FormTests {
    @Test(
        "Decoding gives what Foundation's percent decoding gives",
        arguments: [
            "plain", "me+too+%23MeToo", "%E2%9C%8A+solidarity", "100%", "a%2", "%zz+x", "%41%zz", "%FF", "%e2%9c%8a", "+", "%2B", "",
            "caf%C3%A9+%26+th%C3%A9", "%0A%0D",
        ]
    )
    func decodingMatchesFoundation(raw: String) {
        // setup
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        let expected = spaced.removingPercentEncoding ?? spaced
        // act
        let decoded = Form.decode(Substring(raw))
        // check
        #expect(decoded == expected)
    }

    @Test func aBodyKeepsEveryValueOfARepeatedField() throws {
        // act
        let form = Form("status=me+too+%23MeToo&media_ids%5B%5D=1&media_ids%5B%5D=2&empty=&flag")
        // check
        #expect(try form.value("status") == "me too #MeToo")
        #expect(form.all("media_ids[]") == ["1", "2"])
        #expect(try form.value("empty") == "")
        #expect(try form.value("flag") == "")
        #expect(throws: InputError.self) { try form.value("media_ids[]") }
    }
}
