import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// PostgreSQL parses and plans a statement sent unnamed again every time: for a voice's SELECT that was 1.5 ms of the
/// server's CPU on every write, more than running it. A statement this process sends often is instead prepared once per
/// connection, under a name, and then only bound and run.
///
/// The SQL is the same SQLKit builds for SQLite; only how it travels to PostgreSQL differs. A statement is named once it
/// has been sent `usesBeforeNaming` times with the same bind types, and at most `mostNamed` are, so SQL with a value
/// written into its text (not bound) is never kept on the server. A named statement that fails on a connection is sent
/// unnamed there from then on: PostgreSQL's driver remembers a failed preparation for the connection's life.
final class PostgresStatements: Sendable {
    static let usesBeforeNaming = 8
    static let mostNamed = 200
    static let mostCounted = 4_096

    private struct State {
        var uses: [String: Int] = [:]
        var names: [String: String] = [:]
        var failed: [PostgresConnection.ID: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// The name to send a statement under on `connection`, or nil to send it unnamed.
    func name(for key: String, on connection: PostgresConnection) -> String? {
        state.withLock { state in
            if let name = state.names[key] {
                return state.failed[connection.id]?.contains(name) == true ? nil : name
            }
            guard let uses = state.uses[key] ?? (state.uses.count < Self.mostCounted ? 0 : nil) else { return nil }
            guard uses + 1 >= Self.usesBeforeNaming, state.names.count < Self.mostNamed else {
                state.uses[key] = uses + 1
                return nil
            }
            state.uses[key] = nil
            let name = "chorus_\(state.names.count + 1)"
            state.names[key] = name
            return name
        }
    }

    /// A named statement failed on `connection`: it goes unnamed there from now on.
    func failed(_ name: String, on connection: PostgresConnection) {
        let first = state.withLock { state in
            let first = state.failed[connection.id] == nil
            state.failed[connection.id, default: []].insert(name)
            return first
        }
        if first {
            connection.closeFuture.whenComplete { _ in _ = self.state.withLock { $0.failed.removeValue(forKey: connection.id) } }
        }
    }
}

/// A PostgreSQL connection as SQLKit sees it, sending the statements `statements` names as prepared ones.
struct PostgresStatementDatabase: SQLDatabase {
    let connection: PostgresConnection
    let statements: PostgresStatements

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { PostgresDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard let (bindings, types) = Self.bindings(binds) else {
            // A value of a type not listed below: PostgresKit encodes it, unnamed.
            return try await connection.sql(queryLogLevel: nil).execute(sql: query, onRow)
        }
        // Statements without binds (BEGIN, COMMIT) stay unnamed: there is nothing to plan, and they are not counted.
        guard !binds.isEmpty,
            let name = statements.name(for: sql + "\u{0}" + types.map { String($0.rawValue) }.joined(separator: ","), on: connection)
        else {
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
                onRow(row.sql())
            }
            return
        }
        do {
            try await NamedStatement.$current.withValue(.init(name: name, sql: sql, types: types)) {
                for try await row in try await connection.execute(NamedStatement(bindings: bindings), logger: logger) {
                    onRow(row.sql())
                }
            }
        } catch {
            statements.failed(name, on: connection)
            throw error
        }
    }

    /// The binds as PostgreSQL values with their types, as PostgresKit would encode them; nil for another type.
    static func bindings(_ binds: [any Encodable & Sendable]) -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            switch bind {
            case let value as any NullableBind where value.isNull:
                bindings.appendNull()
                types.append(.null)
            case let value as Int64:
                bindings.append(value)
                types.append(.int8)
            case let value as Int:
                bindings.append(value)
                types.append(.int8)
            case let value as String:
                bindings.append(value)
                types.append(.text)
            case let value as Bool:
                bindings.append(value)
                types.append(.bool)
            case let value as Double:
                bindings.append(value)
                types.append(.float8)
            default:
                return nil
            }
        }
        return (bindings, types)
    }
}

private protocol NullableBind {
    var isNull: Bool { get }
}

extension Optional: NullableBind {
    var isNull: Bool { self == nil }
}

/// PostgresNIO prepares statements named by a type's static members; these read the statement being sent, set around
/// the call (the driver reads them before it suspends).
private struct NamedStatement: PostgresPreparedStatement {
    struct Current: Sendable {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    @TaskLocal static var current = Current(name: "", sql: "", types: [])

    static var name: String { current.name }
    static var sql: String { current.sql }
    static var bindingDataTypes: [PostgresDataType] { current.types }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
