import Foundation
import Testing

@testable import ChorusWeb

/// The JSON and HTML writers escape what must be escaped and copy everything else exactly.
@Suite struct EscapingTests {
    static let samples = [
        "", "plain", "quote \" backslash \\ slash /", "lines\nand\r\ntabs\t", "<script>alert('x')</script> & more",
        "bell \u{07} nul \u{00} escape \u{1B} unit \u{1F}", "separators \u{2028} and \u{2029} in JS", "e\u{301}mojis 🫶🏽 and 日本語",
        "right-to-left \u{202E}override\u{202C}", "\u{E2}", "ends with E2 80: \u{2020}",
    ]

    @Test func jsonStringsReadBackAsWritten() throws {
        for sample in Self.samples {
            let written = JSON.string(sample).serialized()
            let read = try JSONSerialization.jsonObject(with: Data(written.utf8), options: [.fragmentsAllowed]) as? String
            #expect(read == sample, "\(written)")
            #expect(!written.contains("<") && !written.contains(">") && !written.contains("&"))
            #expect(!written.contains("\u{2028}") && !written.contains("\u{2029}"))
            #expect(!written.unicodeScalars.contains { $0.value < 0x20 })
        }
    }

    @Test func htmlEscapesTheFiveSpecialCharactersOnly() {
        #expect(VoiceHTML.escape("<a href=\"x\">it's & that</a>") == "&lt;a href=&quot;x&quot;&gt;it&#39;s &amp; that&lt;/a&gt;")
        for sample in Self.samples {
            let escaped = VoiceHTML.escape(sample)
            let restored = escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(restored == sample)
            #expect(!escaped.contains("<") && !escaped.contains("\""))
        }
    }
}

@Suite struct VoiceParagraphTests {
    @Test func blankLinesMakeParagraphsAndSingleBreaksStay() {
        #expect(VoiceHTML.render("one\ntwo\n\nthree") == "<p>one<br>two</p><p>three</p>")
        #expect(VoiceHTML.render("one\r\ntwo\r\n\r\nthree\r\n") == "<p>one<br>two</p><p>three</p>")
        #expect(VoiceHTML.render("\n\n\nalone\n\n\n") == "<p>alone</p>")
        #expect(VoiceHTML.render("") == "")
        #expect(VoiceHTML.render("#MeToo <b>") == "<p><a href=\"/tags/metoo\" class=\"hashtag\">#MeToo</a> &lt;b&gt;</p>")
    }
}

@Suite struct SecretsTests {
    @Test func tokensAre43Base64URLCharactersAndNeverRepeat() {
        let tokens = (0..<1000).map { _ in Secrets.token() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy(alphabet.contains) })
        #expect(Set(tokens).count == 1000)
        // Each token decodes to 32 bytes, as standard base64 with padding put back.
        let standard = tokens[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        #expect(Data(base64Encoded: standard)?.count == 32)
    }
}
