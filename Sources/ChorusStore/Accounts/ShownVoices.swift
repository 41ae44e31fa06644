import ChorusCore
import SQLKit

extension ChorusStore {
    /// Whether a voice counts in its author's `statuses_count`: anyone may read it, under the author's name.
    static func isShown(_ visibility: Visibility, _ state: VoiceState) -> Bool {
        visibility == .public && state == .visible
    }

    /// `isShown` in SQL, for a voice aliased `v`.
    static let shownVoice = "v.visibility = 'public' AND v.state = 'visible'"

    /// Counts again the shown voices of `accountID`, after a change other than a new voice (a deletion, a moderation
    /// action, a held reply rewritten).
    ///
    /// The account's row is taken first. On PostgreSQL a new voice adds to this row in its own transaction: the count
    /// then either runs after that voice's commit (and sees the voice), or before its addition (which lands on top).
    static func recountShownVoices(of accountID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE accounts SET shown_voices = shown_voices WHERE id = \(bind: accountID)").run()
        try await db.raw(
            """
            UPDATE accounts SET shown_voices = (
                SELECT COUNT(*) FROM voices v WHERE v.account_id = \(bind: accountID) AND \(unsafeRaw: Self.shownVoice)
            ) WHERE id = \(bind: accountID)
            """
        ).run()
    }
}
