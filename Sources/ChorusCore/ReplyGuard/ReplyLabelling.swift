import Foundation

/// Labels JSON Lines: each line is a JSON object with a "reply" (and optional "disclosure"); the output line is the same
/// object with "label" set, every other field kept.
public enum ReplyLabelling {
    /// Why a line could not be labelled.
    public enum Failure: Error, Equatable {
        /// The line is not a JSON object.
        case notAnObject
        /// The object has no string "reply" field.
        case missingReply
    }

    /// Returns `jsonLine` with a "label" field holding the guard's verdict (an existing "label" is replaced).
    public static func label(jsonLine: String, with guard: ReplyGuard) throws -> String {
        let parsed = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8), options: [.fragmentsAllowed])
        guard var object = parsed as? [String: Any] else { throw Failure.notAnObject }
        guard let reply = object["reply"] as? String else { throw Failure.missingReply }
        let verdict = `guard`.classify(reply, disclosure: object["disclosure"] as? String)
        object["label"] = verdict.label.rawValue
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
