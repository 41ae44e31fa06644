import SQLKit
import Synchronization

/// What the writes of one batch of SQLite's writer add to the magnitude's cells and the running totals, gathered and
/// written once before the batch commits (`GroupCommit.run`). A batch of *me too*s adds to the same few cells (this
/// hour, today, all time), so one statement takes the place of one per write. Nothing reads those rows inside a
/// write, so no write misses what it added. A write rolled back to its savepoint takes its additions back with it.
final class BatchedCounts: Sendable {
    struct Additions: Sendable {
        fileprivate var cells: [MagnitudeCell: (people: Int64, amount: Int64)] = [:]
        fileprivate var counters: [Counter: Int64] = [:]
        var isEmpty: Bool { cells.isEmpty && counters.isEmpty }
    }

    private let gathered = Mutex(Additions())

    /// Adds to a magnitude cell's part.
    func add(people: Int64, amount: Int64, to cell: MagnitudeCell) {
        gathered.withLock {
            let now = $0.cells[cell] ?? (0, 0)
            $0.cells[cell] = (now.people + people, now.amount + amount)
        }
    }

    /// Adds to a running total.
    func add(_ amount: Int64, to counter: Counter) {
        gathered.withLock { $0.counters[counter, default: 0] += amount }
    }

    /// What is gathered now, to go back to if the next write is rolled back.
    func mark() -> Additions { gathered.withLock { $0 } }

    func rollBack(to mark: Additions) { gathered.withLock { $0 = mark } }

    /// Empties what was gathered and writes it, in the batch's transaction.
    func write(on db: any SQLDatabase) async throws {
        let additions = gathered.withLock { gathered in
            defer { gathered = Additions() }
            return gathered
        }
        guard !additions.isEmpty else { return }
        // In any order: SQLite's one writer never waits on another's row lock.
        let cells = additions.cells.filter { $0.value != (0, 0) }
        if !cells.isEmpty {
            try await ChorusStore.addToCells(cells.map { ($0.key, $0.value.people, $0.value.amount) }, db)
        }
        for (counter, amount) in additions.counters where amount != 0 {
            try await ChorusStore.addToCounter(amount, counter, db)
        }
    }

    /// Forgets what was gathered (the batch was rolled back).
    func discard() { gathered.withLock { $0 = Additions() } }
}

extension SQLDatabase {
    /// Where this connection's writes gather their count additions: SQLite's writer only (see `BatchedCounts`).
    var batchedCounts: BatchedCounts? { (self as? DirectSQLiteConnection)?.batchedCounts }
}
