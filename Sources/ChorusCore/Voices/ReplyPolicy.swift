/// Who may answer a voice. The survivor chooses, per voice and as a default.
public enum ReplyPolicy: String, CaseIterable, Codable, Sendable {
    case everyone
    /// Only accounts the author follows may reply.
    case following
    /// *I believe you* taps only, no text replies.
    case believeOnly = "believe_only"
    case nobody

    public static func parse(_ raw: String?) throws(InputError) -> ReplyPolicy? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let policy = ReplyPolicy(rawValue: raw) else {
            throw InputError("Choose who may reply: everyone, people you follow, “I believe you” only, or nobody.", field: "reply_policy")
        }
        return policy
    }

    /// Whether a text reply from someone is allowed. `authorFollowsReplier` says whether the voice's author follows them.
    public func allowsTextReply(isAuthor: Bool, authorFollowsReplier: Bool) -> Bool {
        if isAuthor { return true }
        switch self {
        case .everyone: return true
        case .following: return authorFollowsReplier
        case .believeOnly, .nobody: return false
        }
    }

    /// Whether an *I believe you* tap is allowed.
    public var allowsBelief: Bool { self != .nobody }

    /// Why a reply was not accepted, in calm words for the person who tried.
    public var refusal: String {
        switch self {
        case .everyone: return ""
        case .following: return "The person who shared this has chosen to hear replies only from people they follow."
        case .believeOnly: return "The person who shared this has chosen to receive “I believe you” only, without text replies."
        case .nobody: return "The person who shared this has chosen not to receive replies."
        }
    }
}
