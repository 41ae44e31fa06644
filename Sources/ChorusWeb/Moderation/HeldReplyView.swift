import ChorusCore
import ChorusStore

/// What the writer of a held reply is shown at once: the kind of reply it looked like, RAINN's guidance, and a way to
/// rewrite or withdraw it. Calm words; never blame.
enum HeldReplyView {
    static func values(_ voice: Voice, words: Words, language: String) -> [String: Any] {
        var values = VoiceView.values(voice, words: words)
        guard showsGuidance(voice) else { return values }
        let label = voice.guardLabel.flatMap(ReplyLabel.init(rawValue:)) ?? .hostile
        values["guidance"] = [
            "id": String(voice.id),
            "label": label.rawValue,
            "label_name": words["mod_label_\(label.rawValue)"],
            "explanation": ReplyGuidance.explanation(for: label, language: language),
            "tips": ReplyGuidance.supporterTips(language: language),
        ]
        return values
    }

    /// Whether the reader is shown guidance on this reply: their own, held.
    static func showsGuidance(_ voice: Voice) -> Bool { voice.state == .held && voice.isMine }
}

/// The moderation parts of a voice's page: guidance on one's own held replies, the survivor's reply controls and the
/// count of replies waiting for review, and block, mute and report on other people's voices.
enum ThreadModeration {
    static func extras(root: Voice, viewer: Account?, store: ChorusStore, words: Words) async throws -> [String: Any] {
        guard let viewer, root.isMine else { return [:] }
        var values: [String: Any] = [
            "is_owner": true,
            "owner_policies": ReplyPolicy.allCases.map {
                ["value": $0.rawValue, "label": words["policy_\($0.rawValue)"], "selected": $0 == root.replyPolicy] as [String: Any]
            },
        ]
        let waiting = try await store.heldReplyCount(threadRoot: root.id, owner: viewer.id)
        if waiting > 0 {
            values["held_waiting"] = [
                "text": waiting == 1 ? words["mod_waiting_one"] : words.format("mod_waiting_many", ["n": String(waiting)]),
                "link": "/voices/\(root.id)/held",
            ]
        }
        return values
    }
}
