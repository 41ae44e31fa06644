import ChorusCore
import Logging
import SQLKit

/// Everything Chorus keeps, behind one SQLKit implementation that serves SQLite and PostgreSQL alike.
public struct ChorusStore: Sendable {
    public let database: ChorusDatabase

    public init(database: ChorusDatabase) {
        self.database = database
    }

    /// Opens the database and brings its schema up to date.
    public static func open(_ engine: DatabaseEngine, logger: Logger) async throws -> ChorusStore {
        let database = try ChorusDatabase(engine: engine, logger: logger)
        do {
            try await Migrations.run(on: database)
        } catch {
            await database.shutdown()
            throw error
        }
        return ChorusStore(database: database)
    }

    public func shutdown() async { await database.shutdown() }
}

extension SQLRow {
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func int(_ column: String) throws -> Int { Int(try decode(column: column, as: Int64.self)) }
    func bool(_ column: String) throws -> Bool { try decode(column: column, as: Int64.self) != 0 }
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decode(column: column, as: String?.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column: column, as: Int64?.self) }
}

extension Bool {
    /// Booleans are stored as 0 or 1 on both engines.
    var sqlValue: Int64 { self ? 1 : 0 }
}
