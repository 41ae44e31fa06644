/// A person's account as the rest of Chorus sees it. No email, no phone: a handle and a password only.
public struct Account: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64
    public var handle: String
    public var displayName: String
    public var isModerator: Bool
    public var createdAt: Int64
    public var country: String?
    public var language: String?
    public var defaultReplyPolicy: ReplyPolicy
    /// The account can't act: it may only read the decision and appeal it.
    public var isSuspended: Bool
    /// The suspension came through an anonymous voice, so the account's public self looks unchanged.
    public var isSuspendedQuietly: Bool

    /// Whether the account's profile and public voices are hidden from everyone else.
    public var isHiddenBySuspension: Bool { isSuspended && !isSuspendedQuietly }

    public init(
        id: Int64,
        handle: String,
        displayName: String,
        isModerator: Bool = false,
        createdAt: Int64,
        country: String? = nil,
        language: String? = nil,
        defaultReplyPolicy: ReplyPolicy = .everyone,
        isSuspended: Bool = false,
        isSuspendedQuietly: Bool = false
    ) {
        self.id = id
        self.handle = handle
        self.displayName = displayName
        self.isModerator = isModerator
        self.createdAt = createdAt
        self.country = country
        self.language = language
        self.defaultReplyPolicy = defaultReplyPolicy
        self.isSuspended = isSuspended
        self.isSuspendedQuietly = isSuspendedQuietly
    }
}
