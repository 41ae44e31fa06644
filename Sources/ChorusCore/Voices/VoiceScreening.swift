/// What the reply guard and the crisis detector concluded about a text before it is stored.
public struct VoiceScreening: Sendable, Equatable {
    public var state: VoiceState
    /// The reply guard's label for a held reply.
    public var guardLabel: String?
    /// The text says its writer may be in danger now.
    public var crisis: Bool

    public init(state: VoiceState = .visible, guardLabel: String? = nil, crisis: Bool = false) {
        self.state = state
        self.guardLabel = guardLabel
        self.crisis = crisis
    }

    public static let clear = VoiceScreening()
}
