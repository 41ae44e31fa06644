extension Migration {
    /// An account's public, visible voices counted from an index alone: every Mastodon account entity (the author of
    /// each status an app is sent) carries `statuses_count`, which otherwise read each of the author's voices.
    static let m0010VoicesCountedPerAccount = Migration(number: 10, name: "voices_counted_per_account") { _ in
        ["CREATE INDEX voices_shown_by_account ON voices (account_id, visibility, state)"]
    }
}
