extension Migration {
    /// `read_markers`: where a person stopped reading their home timeline and their notifications, so that each of their
    /// apps opens where another left off (Mastodon's markers).
    static let m0019ReadMarkers = Migration(number: 19, name: "read_markers") { _ in
        [
            """
            CREATE TABLE read_markers (
                account_id BIGINT NOT NULL,
                timeline TEXT NOT NULL,
                last_read_id BIGINT NOT NULL,
                version BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (account_id, timeline)
            )
            """
        ]
    }
}
