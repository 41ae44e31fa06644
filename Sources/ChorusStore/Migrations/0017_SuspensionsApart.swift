extension Migration {
    /// A quiet suspension (through an anonymous voice) and a full one (on a named account) kept apart: lifting one
    /// leaves the other in effect, so nothing a moderator does to a named account changes what happens to an anonymous
    /// voice. `accounts.quietly_suspended_at` is set while a quiet one holds; `moderation_actions.quiet` marks the
    /// decisions that were quiet, for their restore or appeal.
    static let m0017SuspensionsApart = Migration(number: 17, name: "suspensions_apart") { _ in
        [
            "ALTER TABLE accounts ADD COLUMN quietly_suspended_at BIGINT",
            "UPDATE accounts SET quietly_suspended_at = suspended_at WHERE suspended_quietly = 1",
            "ALTER TABLE moderation_actions ADD COLUMN quiet BIGINT NOT NULL DEFAULT 0",
        ]
    }
}
