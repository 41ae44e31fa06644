import ChorusCore
import Foundation
import Testing

@testable import ChorusWeb

/// Form fields are decoded byte by byte: `+` is a space, `%XX` a byte, a `%` that starts no escape stays a `%`, and
/// bytes that are not UTF-8 read as U+FFFD.
@Suite struct FormTests {
    @Test(
        "Well-formed values decode as Foundation's percent decoding does",
        arguments: ["plain", "me+too+%23MeToo", "%E2%9C%8A+solidarity", "%e2%9c%8a", "+", "%2B", "", "caf%C3%A9+%26+th%C3%A9", "%0A%0D"]
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

    /// A hand-written request's lone `%` ("100%") no longer leaves the whole value undecoded: "%23MeToo … 100%" was
    /// stored as the note "%23MeToo … 100%", not counted as a me too.
    @Test(
        "A broken escape is kept as it is and the rest decoded",
        arguments: [
            ("%23MeToo+it+happened+to+me+100%", "#MeToo it happened to me 100%"), ("a%2", "a%2"), ("%zz+x", "%zz x"), ("%41%zz", "A%zz"),
            ("%FF", "\u{FFFD}"), ("%23MeToo%20%FF%FE", "#MeToo \u{FFFD}\u{FFFD}"),
        ]
    )
    func brokenEscapesKeepTheRestReadable(raw: String, expected: String) {
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
