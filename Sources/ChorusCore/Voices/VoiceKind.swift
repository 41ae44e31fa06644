/// What a post is for the people who read it.
public enum VoiceKind: String, CaseIterable, Codable, Sendable {
    /// A *me too*: one tap with no details, or a story.
    case meToo = "metoo"
    /// An *I will* commitment.
    case pledge
    /// An answer in a voice's thread.
    case reply
    /// Anything else posted through a Mastodon app (no #MeToo, no #IWill, not a reply).
    case note

    /// The kind a Mastodon status has, from its text, as in 2017: the hashtags are the protocol.
    public static func of(text: String, isReply: Bool) -> VoiceKind {
        if isReply { return .reply }
        let tags = Hashtags.extract(from: text)
        if tags.contains(where: Hashtags.isMeToo) { return .meToo }
        if tags.contains(where: Hashtags.isPledge) { return .pledge }
        return .note
    }
}
