extension Migration {
    /// Counts per key and time window, shared by every instance (keys are accounts and handles, never addresses).
    static let m0007RateLimits = Migration(number: 7, name: "rate_limits") { _ in
        [
            """
            CREATE TABLE rate_counts (
                key TEXT NOT NULL,
                window_start BIGINT NOT NULL,
                count BIGINT NOT NULL,
                PRIMARY KEY (key, window_start)
            )
            """
        ]
    }
}
