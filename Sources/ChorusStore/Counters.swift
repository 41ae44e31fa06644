import ChorusCore
import SQLKit

/// The running totals, kept as voices are written: reading them costs the same at 10 voices and at 10 million.
public enum Counter: String, Sendable, CaseIterable {
    case meTooPeople = "metoo_people"
    case beliefs
    case pledges
}

extension ChorusStore {
    /// The three totals.
    public func magnitude() async throws -> Magnitude {
        try await database.read { db in try await Self.magnitude(db) }
    }

    static func magnitude(_ db: any SQLDatabase) async throws -> Magnitude {
        var magnitude = Magnitude()
        for row in try await db.raw("SELECT name, value FROM counters").all() {
            let value = try row.int("value")
            switch Counter(rawValue: try row.string("name")) {
            case .meTooPeople: magnitude.meTooPeople = value
            case .beliefs: magnitude.beliefs = value
            case .pledges: magnitude.pledges = value
            case nil: break
            }
        }
        return magnitude
    }

    static func add(_ amount: Int, to counter: Counter, _ db: any SQLDatabase) async throws {
        guard amount != 0 else { return }
        if let batched = db.batchedCounts {
            batched.add(Int64(amount), to: counter)
        } else {
            try await addToCounter(Int64(amount), counter, db)
        }
    }

    /// Adds to a total, in this connection's part of it.
    static func addToCounter(_ amount: Int64, _ counter: Counter, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO counter_parts (name, part, value) VALUES (\(bind: counter.rawValue), \(bind: CountParts.part(on: db)), \(bind: amount))
            ON CONFLICT (name, part) DO UPDATE SET value = counter_parts.value + excluded.value
            """
        ).run()
    }
}
