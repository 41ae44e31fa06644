extension Migration {
    /// `accounts.suspended_quietly`: a suspension taken through an anonymous voice. The account can't act and its
    /// anonymous voices are hidden, but its public self looks unchanged, so the suspension can't tie the anonymous
    /// voice to its author.
    static let m0009QuietSuspensions = Migration(number: 9, name: "quiet_suspensions") { _ in
        ["ALTER TABLE accounts ADD COLUMN suspended_quietly BIGINT NOT NULL DEFAULT 0"]
    }
}
