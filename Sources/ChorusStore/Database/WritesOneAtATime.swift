import SQLKit

/// Writes that read something, decide, and write back, and so must not run side by side with another of their kind.
///
/// On SQLite nothing is needed: its one writer runs every write alone. On PostgreSQL writes run side by side, each
/// reading what was committed when its statement began: two moderators deciding one report at the same moment were
/// both told "done", and two edits of the help directory kept only one.
enum WritesOneAtATime: Int64 {
    /// Moderation actions and appeal decisions (a handful a day: one at a time costs nothing).
    case moderation = 7_411_002
    /// Edits of the help directory, which are read, changed and written whole.
    case helpDirectory = 7_411_003
}

extension SQLDatabase {
    /// Waits until no other transaction of this kind is running, and holds the turn until this one ends (PostgreSQL: a
    /// transaction-scoped advisory lock).
    func takeTurn(_ kind: WritesOneAtATime) async throws {
        guard dialect.name != "sqlite" else { return }
        try await raw("SELECT pg_advisory_xact_lock(\(bind: kind.rawValue))").run()
    }

    /// ` FOR UPDATE` on PostgreSQL: the rows a check read stay as read until the transaction ends, and another writer
    /// that wants them waits, then finds them as this one left them (a voice deleted twice at once is taken off the
    /// totals once). Empty on SQLite, whose one writer already runs writes one at a time.
    var forUpdate: String { dialect.name == "sqlite" ? "" : " FOR UPDATE" }

    /// Holds two accounts' rows, in id order, until the transaction ends (PostgreSQL; SQLite's one writer needs nothing).
    /// A follow and a block between the same two people then run one after the other: each read before the other
    /// committed, a follow made as a block was made outlived it.
    func holdAccounts(_ first: Int64, _ second: Int64) async throws {
        guard dialect.name != "sqlite" else { return }
        try await raw("SELECT id FROM accounts WHERE id IN (\(bind: first), \(bind: second)) ORDER BY id FOR UPDATE").run()
    }
}
