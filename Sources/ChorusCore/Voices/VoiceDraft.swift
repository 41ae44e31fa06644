/// What a person wrote before it is stored: checked, never rewritten. Text is stored as typed.
public struct VoiceDraft: Sendable, Equatable {
    public static let storyLimit = 5_000
    public static let contentWarningLimit = 200
    public static let pledgeLimit = 500
    /// Characters are counted as people see them; this also caps the bytes, so a flood of combining marks on one
    /// letter (one visible character) can't carry megabytes.
    public static let byteLimit = 20_000

    public var kind: VoiceKind
    public var text: String {
        didSet { hashtags = Hashtags.extract(from: text) }
    }
    public var contentWarning: String?
    public var visibility: Visibility
    public var language: String?
    public var inReplyTo: Int64?
    public var replyPolicy: ReplyPolicy?
    /// The country (ISO alpha-2) a person chose to give with a *me too*, for the counts by country; nil when they chose none.
    public var country: String?

    public init(
        kind: VoiceKind,
        text: String,
        contentWarning: String? = nil,
        visibility: Visibility = .public,
        language: String? = nil,
        inReplyTo: Int64? = nil,
        replyPolicy: ReplyPolicy? = nil,
        country: String? = nil
    ) {
        self.kind = kind
        self.text = text
        self.hashtags = Hashtags.extract(from: text)
        self.contentWarning = contentWarning
        self.visibility = visibility
        self.language = language
        self.inReplyTo = inReplyTo
        self.replyPolicy = replyPolicy
        self.country = country
    }

    /// The hashtags in the text, normalised: read once, as the write path asks for them several times.
    public private(set) var hashtags: [String]

    /// Checks the limits each kind has, with a message a person can act on.
    public func validated() throws(InputError) -> VoiceDraft {
        var draft = self
        draft.contentWarning = contentWarning.flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0 }
        let length = text.count
        if text.utf8.contains(0) || (contentWarning?.utf8.contains(0) ?? false) {
            throw InputError("The text contains an invisible null character that can't be stored. Please remove it and send again.", field: "text")
        }
        if text.utf8.count > Self.byteLimit || (contentWarning?.utf8.count ?? 0) > Self.contentWarningLimit * 4 {
            throw InputError("This text is longer than Chorus can store. Please shorten it, or remove repeated accent marks.", field: "text")
        }
        switch kind {
        case .meToo, .note:
            if length > Self.storyLimit {
                throw InputError(
                    "Your story is \(length) characters long; the limit is \(Self.storyLimit). You could share it in parts.", field: "text")
            }
        case .pledge:
            if text.trimmingWhitespace.isEmpty {
                throw InputError("Write what you will do, in a few words.", field: "text")
            }
            if length > Self.pledgeLimit {
                throw InputError("A pledge can be up to \(Self.pledgeLimit) characters; yours is \(length).", field: "text")
            }
        case .reply:
            if text.trimmingWhitespace.isEmpty {
                throw InputError("Write a reply, or tap “I believe you” instead.", field: "text")
            }
            if length > Self.storyLimit {
                throw InputError("A reply can be up to \(Self.storyLimit) characters; yours is \(length).", field: "text")
            }
            if inReplyTo == nil {
                throw InputError("A reply needs a voice to answer.", field: "in_reply_to_id")
            }
        }
        if let warning = draft.contentWarning, warning.count > Self.contentWarningLimit {
            throw InputError("A content warning can be up to \(Self.contentWarningLimit) characters.", field: "content_warning")
        }
        draft.country = kind == .meToo ? try CountryChoice.parse(country) : nil
        if kind == .pledge, visibility == .onlyMe {
            throw InputError("A pledge is meant to be seen: choose public or anonymous.", field: "visibility")
        }
        return draft
    }
}

extension String {
    /// The text without leading and trailing spaces and newlines.
    public var trimmingWhitespace: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
