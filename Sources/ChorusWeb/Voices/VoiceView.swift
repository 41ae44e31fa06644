import ChorusCore
import Foundation

/// A voice as a template sees it: every text escaped, every count in words.
struct VoiceView {
    static func values(_ voice: Voice, words: Words) -> [String: Any] {
        let believeText = believeText(voice, words: words)
        var values: [String: Any] = [
            "id": String(voice.id),
            "html": VoiceHTML.render(voice.text),
            "has_text": !voice.text.trimmingWhitespace.isEmpty,
            "kind": voice.kind.rawValue,
            "is_metoo": voice.kind == .meToo,
            "is_pledge": voice.kind == .pledge,
            "is_reply": voice.kind == .reply,
            "visibility": voice.visibility.rawValue,
            "visibility_label": words["visibility_\(voice.visibility.rawValue)"],
            "is_only_me": voice.visibility == .onlyMe,
            "believe_count": voice.believeCount,
            "believe_text": believeText,
            "shows_believe_text": !believeText.isEmpty,
            "reply_count": voice.replyCount,
            "is_mine": voice.isMine,
            "believes": voice.readerBelieves,
            "can_believe": voice.replyPolicy.allowsBelief && voice.kind != .pledge,
            "is_held": voice.state == .held,
            "is_hidden": voice.state == .hidden,
            "crisis": voice.crisis,
            "time_iso": iso(voice.createdAt),
            "time_text": dateText(voice.createdAt),
        ]
        if let warning = voice.contentWarning { values["cw"] = warning }
        // The language it was written in, so that a screen reader reads it in that language's voice: one Chorus speaks
        // (an app may send any code, and a page with an unknown one fails its checks).
        if let code = voice.language?.split(separator: "-").first?.lowercased(), Language(rawValue: code) != nil { values["lang"] = code }
        switch voice.author {
        case .account(_, let handle, let name):
            values["author_handle"] = handle
            values["author_name"] = name.isEmpty ? handle : name
        case .someone:
            values["someone"] = true
            values["author_name"] = words["someone"]
        }
        if let label = voice.guardLabel { values["guard_label"] = label }
        return values
    }

    /// The count of *I believe you* under a voice. At zero it is an invitation, for a reader who may give one to a
    /// *me too*: never to its author (it would only say that nobody has yet), and never under a journal entry or a reply.
    static func believeText(_ voice: Voice, words: Words) -> String {
        switch voice.believeCount {
        case 0:
            let invites = !voice.isMine && voice.kind == .meToo && voice.visibility != .onlyMe && voice.replyPolicy.allowsBelief
            return invites ? words["believe_none"] : ""
        case 1: return words["believe_one"]
        default: return words.format("believe_many", ["n": voice.believeCount.groupedText])
        }
    }

    static func iso(_ milliseconds: Int64) -> String { Timestamp.iso8601(milliseconds: milliseconds, fractional: false) }

    static func dateText(_ milliseconds: Int64) -> String { Timestamp.readable(milliseconds: milliseconds) }

    /// The "older" link of a list page.
    static func olderLink(_ voices: [Voice], limit: Int, base: String) -> String? {
        guard voices.count >= limit, let last = voices.last else { return nil }
        return "\(base)?max_id=\(last.id)"
    }
}
