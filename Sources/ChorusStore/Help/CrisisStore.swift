import ChorusCore
import SQLKit

/// Voices the crisis detector flagged, for moderators to look in on.
extension ChorusStore {
    /// Flagged voices, newest first, whatever their state (held replies too). Anonymous voices come without their author,
    /// as everywhere; "only me" voices are left out: their text is for their writer alone, who was shown help at once.
    public func crisisVoices(page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            let query: SQLQueryString = """
                SELECT v.id, v.kind, v.visibility, v.state, v.text, v.content_warning, v.language, v.in_reply_to_id, v.thread_root_id,
                       v.reply_policy, v.believe_count, v.reply_count, v.guard_label, v.crisis, v.created_at,
                       CASE WHEN v.visibility = 'public' THEN a.id ELSE NULL END AS author_id,
                       CASE WHEN v.visibility = 'public' THEN a.display_handle ELSE NULL END AS author_handle,
                       CASE WHEN v.visibility = 'public' THEN a.display_name ELSE NULL END AS author_name,
                       0 AS is_mine, 0 AS reader_believes
                FROM voices v JOIN accounts a ON a.id = v.account_id
                WHERE v.crisis = 1 AND v.visibility <> 'only_me'
                """
            return try await Self.voices(db, query, page)
        }
    }
}
