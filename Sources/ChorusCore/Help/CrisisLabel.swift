/// Whether a text says its writer is in danger now or may harm themselves.
public enum CrisisLabel: String, Codable, Sendable {
    /// Danger now or self-harm intent: show the writer the help panel and flag it to moderators.
    case crisis
    /// Anything else, including past experiences, supporters' replies and figures of speech.
    case notCrisis = "not_crisis"
}
