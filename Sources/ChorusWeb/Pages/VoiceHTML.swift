import ChorusCore
import Foundation

/// Text as people typed it, made safe for a page: every character escaped, hashtags linked, line breaks kept.
enum VoiceHTML {
    /// Every character that means something in HTML, as an entity. Runs of other characters are copied whole.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        let utf8 = text.utf8
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            let entity: String? =
                switch utf8[index] {
                case UInt8(ascii: "&"): "&amp;"
                case UInt8(ascii: "<"): "&lt;"
                case UInt8(ascii: ">"): "&gt;"
                case UInt8(ascii: "\""): "&quot;"
                case UInt8(ascii: "'"): "&#39;"
                default: nil
                }
            if let entity {
                out += Substring(utf8[run..<index])
                out += entity
                run = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += Substring(utf8[run..<index])
        return out
    }

    /// Escaped paragraphs with hashtag links, for `{{{html}}}` in templates.
    static func render(_ text: String, tagBase: String = "/tags/") -> String {
        var html = ""
        var cursor = text.startIndex
        for occurrence in Hashtags.occurrences(in: text) {
            html += escape(String(text[cursor..<occurrence.range.lowerBound]))
            let path = PercentEncoding.path.encode(Hashtags.normalise(occurrence.name))
            html += "<a href=\"\(tagBase)\(escape(path))\" class=\"hashtag\">#\(escape(occurrence.name))</a>"
            cursor = occurrence.range.upperBound
        }
        html += escape(String(text[cursor...]))
        return paragraphs(html)
    }

    /// Lines separated by a blank line are paragraphs; a single line break stays a `<br>`.
    static func paragraphs(_ html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count + 16)
        var lines: [Substring] = []
        func close() {
            if !lines.isEmpty { out += "<p>" + lines.joined(separator: "<br>") + "</p>" }
            lines.removeAll(keepingCapacity: true)
        }
        // By bytes: "\r\n" is one Character, and a line may end either way.
        for bytes in html.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = Substring(bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes)
            if line.isEmpty { close() } else { lines.append(line) }
        }
        close()
        return out
    }
}
