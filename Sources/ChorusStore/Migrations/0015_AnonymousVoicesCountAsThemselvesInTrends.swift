extension Migration {
    /// A hashtag's "accounts" counted an anonymous voice under its author's account, so a number that did not move told
    /// which of the tag's open posters wrote it. The trends are counted again with each anonymous voice as itself
    /// (`ChorusStore.trendsKey`).
    static let m0015AnonymousVoicesCountAsThemselvesInTrends = Migration(number: 15, name: "anonymous_voices_count_as_themselves_in_trends") { _ in
        ["DELETE FROM tag_day_accounts", "DELETE FROM tag_day_parts"] + trendsBackfill
    }

    /// The trends counted from the voices marked `in_trends`, into empty tables: here, and in every magnitude recount
    /// since (which takes the rest of its statements from migration 3).
    static let trendsBackfill = [
        """
        INSERT INTO tag_day_accounts (tag, day, account_id, uses, first_at)
        SELECT vt.tag, (v.created_at / 86400000) * 86400, \(ChorusStore.trendsKeySQL), COUNT(*), MIN(v.created_at)
        FROM voice_tags vt JOIN voices v ON v.id = vt.voice_id WHERE v.in_trends = 1
        GROUP BY vt.tag, (v.created_at / 86400000) * 86400, \(ChorusStore.trendsKeySQL)
        """,
        """
        INSERT INTO tag_day_parts (tag, day, part, uses, accounts, last_account_at)
        SELECT tag, day, 0, SUM(uses), COUNT(*), MAX(first_at) FROM tag_day_accounts GROUP BY tag, day
        """,
    ]
}
