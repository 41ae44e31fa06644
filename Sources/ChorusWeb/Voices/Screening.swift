import ChorusCore

/// Reads new text before it is stored: replies through the reply guard, every text through the crisis detector.
/// It never blocks posting; it decides who sees a reply, and whether the writer is shown help at once.
struct Screening: Sendable {
    /// Loaded once per process: the guard's model is a few megabytes.
    static let shared = Screening(replyGuard: ReplyGuard(), crisisDetector: CrisisDetector())

    let replyGuard: ReplyGuard
    let crisisDetector: CrisisDetector

    /// `answersOwnThread`: a survivor adding to their own thread is not screened by the guard.
    func screen(_ draft: VoiceDraft, answering disclosure: String? = nil, answersOwnThread: Bool = false) -> VoiceScreening {
        // The content warning is read too: some write what is happening to them there, above the story.
        let warning = draft.contentWarning.map { $0.trimmingWhitespace } ?? ""
        let crisis =
            crisisDetector.isCrisis(draft.text, cuesOnly: draft.kind == .pledge)
            || (!warning.isEmpty && crisisDetector.isCrisis(warning, cuesOnly: draft.kind == .pledge))
        var screening = VoiceScreening(crisis: crisis)
        if draft.kind == .reply, !answersOwnThread {
            let verdict = replyGuard.classify(draft.text, disclosure: disclosure)
            if verdict.isHarmful {
                screening.state = .held
                screening.guardLabel = verdict.label.rawValue
            }
        }
        return screening
    }
}
