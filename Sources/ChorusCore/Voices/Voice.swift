/// Who a reader is shown as the author of a voice.
public enum VoiceAuthor: Sendable, Equatable {
    /// A public voice: the account is shown.
    case account(id: Int64, handle: String, displayName: String)
    /// An anonymous voice: shown as "someone". The author's identity never leaves the store.
    case someone
}

/// Whether a voice can be seen by others, from the reply guard and moderation.
public enum VoiceState: String, Codable, Sendable {
    case visible
    /// Held by the reply guard until a moderator reviews it; seen only by its writer.
    case held
    /// Hidden by a moderator; seen only by its writer.
    case hidden
}

/// A voice as one reader sees it.
public struct Voice: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: VoiceKind
    public var text: String
    public var contentWarning: String?
    public var visibility: Visibility
    public var language: String?
    public var inReplyTo: Int64?
    /// The voice that started the thread (itself for a voice that answers nothing).
    public var threadRoot: Int64
    public var replyPolicy: ReplyPolicy
    public var believeCount: Int
    public var replyCount: Int
    public var createdAt: Int64
    public var author: VoiceAuthor
    public var state: VoiceState
    /// The reply guard's label, for held replies.
    public var guardLabel: String?
    /// Whether the text says someone may be in danger now.
    public var crisis: Bool
    /// Whether the reader wrote it.
    public var isMine: Bool
    /// Whether the reader has said *I believe you* to it.
    public var readerBelieves: Bool
    public var hashtags: [String] { Hashtags.extract(from: text) }

    public init(
        id: Int64, kind: VoiceKind, text: String, contentWarning: String?, visibility: Visibility, language: String?,
        inReplyTo: Int64?, threadRoot: Int64, replyPolicy: ReplyPolicy, believeCount: Int, replyCount: Int, createdAt: Int64,
        author: VoiceAuthor, state: VoiceState, guardLabel: String?, crisis: Bool, isMine: Bool, readerBelieves: Bool
    ) {
        self.id = id
        self.kind = kind
        self.text = text
        self.contentWarning = contentWarning
        self.visibility = visibility
        self.language = language
        self.inReplyTo = inReplyTo
        self.threadRoot = threadRoot
        self.replyPolicy = replyPolicy
        self.believeCount = believeCount
        self.replyCount = replyCount
        self.createdAt = createdAt
        self.author = author
        self.state = state
        self.guardLabel = guardLabel
        self.crisis = crisis
        self.isMine = isMine
        self.readerBelieves = readerBelieves
    }
}
