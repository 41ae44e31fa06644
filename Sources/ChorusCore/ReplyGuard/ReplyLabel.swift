/// What a reply to a survivor's post looks like: supportive, or one of five harmful kinds.
public enum ReplyLabel: String, CaseIterable, Codable, Sendable {
    /// Believes, comforts or stands with the survivor.
    case supportive
    /// Puts some of the responsibility on the survivor ("what did you expect…").
    case blaming
    /// Doubts or denies the account ("pics or it didn't happen").
    case disbelief
    /// Interrogates the survivor's choices ("why didn't you report it?").
    case whyQuestion = "why_question"
    /// Downplays or derails ("it was just a joke", "men get harassed too", "that's not assault").
    case minimizing
    /// Insults, threats, sexualised remarks or mockery.
    case hostile

    /// True for every label except `supportive`: such a reply is held back before the survivor sees it.
    public var isHarmful: Bool { self != .supportive }
}

/// The guard's decision about one reply.
public struct ReplyVerdict: Sendable, Equatable {
    /// The kind of reply it looked like.
    public let label: ReplyLabel
    /// How sure the guard is of `label`, from 0 to 1 (a model probability, or a fixed high value for a matched phrase).
    public let confidence: Double

    /// True when the reply should be held back.
    public var isHarmful: Bool { label.isHarmful }

    /// Makes a verdict; `confidence` is clamped to 0...1.
    public init(label: ReplyLabel, confidence: Double) {
        self.label = label
        self.confidence = min(1, max(0, confidence))
    }
}
