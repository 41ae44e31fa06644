extension Migration {
    /// Work that runs outside requests, taken by any instance's worker.
    static let m0006Jobs = Migration(number: 6, name: "jobs") { _ in
        [
            """
            CREATE TABLE jobs (
                id BIGINT PRIMARY KEY,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL DEFAULT '',
                unique_key TEXT UNIQUE,
                state TEXT NOT NULL DEFAULT 'queued',
                run_at BIGINT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                max_attempts BIGINT NOT NULL DEFAULT 5,
                locked_by TEXT,
                locked_until BIGINT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX jobs_ready ON jobs (state, run_at)",
        ]
    }
}
