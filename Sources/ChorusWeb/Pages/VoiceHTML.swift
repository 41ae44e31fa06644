import ChorusCore
import Foundation

/// Text as people typed it, made safe for a page: every character escaped, hashtags linked, line breaks kept.
enum VoiceHTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Escaped paragraphs with hashtag links, for `{{{html}}}` in templates.
    static func render(_ text: String, tagBase: String = "/tags/") -> String {
        var html = ""
        var cursor = text.startIndex
        for occurrence in Hashtags.occurrences(in: text) {
            html += escape(String(text[cursor..<occurrence.range.lowerBound]))
            let path = Hashtags.normalise(occurrence.name).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ""
            html += "<a href=\"\(tagBase)\(escape(path))\" class=\"hashtag\">#\(escape(occurrence.name))</a>"
            cursor = occurrence.range.upperBound
        }
        html += escape(String(text[cursor...]))
        let paragraphs = html.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
        return paragraphs.filter { !$0.isEmpty }.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>") + "</p>" }.joined()
    }
}
