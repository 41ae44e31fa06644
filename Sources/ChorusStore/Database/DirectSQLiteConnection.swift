import ChorusSQLiteConfig
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization
import VaporCSQLite

/// An SQLite connection that runs each statement at once, on the calling thread, under the same SQLKit queries as
/// every other connection, and keeps its statements prepared for the next use. SQLite's one writer is one of these,
/// and so is each of its readers (`SQLiteReaders`).
///
/// sqlite-nio runs each statement on a thread pool and answers through a future: three thread hand-offs per statement,
/// and a fresh `prepare` each time. A write is about 18 short statements, all serialized behind the one writer, and an
/// API request reads its token and account before it starts, so those hand-offs bounded how many voices a second
/// SQLite could take. Only what may wait on the disk or on another process (`BEGIN IMMEDIATE`, `COMMIT`, `ROLLBACK`,
/// and reads that may scan many rows) goes to the thread pool.
final class DirectSQLiteConnection: SQLDatabase {
    private final class Connection {
        let handle: OpaquePointer
        /// Prepared statements by their SQL, kept between uses. Bulk statements (the seed) are not kept.
        var statements: [String: OpaquePointer] = [:]

        init(handle: OpaquePointer) { self.handle = handle }

        deinit {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close_v2(handle)
        }
    }

    /// What a connection is for: the writer may change the database, a reader may not (`PRAGMA query_only`).
    enum Role {
        case writer
        case reader
    }

    /// SQLite's global setup, done once per process (a static is set up once, other threads waiting) before the
    /// first connection of this kind opens.
    private static let sqliteInitialized = sqlite_nio_sqlite3_initialize()
    static let keptStatementsLimit = 512
    static let keptStatementLength = 4096

    let logger: Logger
    let eventLoop: any EventLoop
    private let blockingThreads: NIOThreadPool
    private let connection: Mutex<Connection?>
    /// One of each for every statement and row (each holds a JSON coder, too costly to make per statement).
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    /// Opens a connection with the settings every connection needs (WAL, the writer's commits synced by `WALSync`, and
    /// patience with a lock held by another process). Every use of a connection holds its lock, so SQLite's own is left off.
    init(path: String, role: Role, blockingThreads: NIOThreadPool, logger: Logger, eventLoop: any EventLoop) throws {
        self.logger = logger
        self.eventLoop = eventLoop
        self.blockingThreads = blockingThreads
        _ = Self.sqliteInitialized
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw DirectSQLiteError(code: opened, message: "SQLite could not open the database at \(path).")
        }
        // A statement kept prepared is prepared once: SQLite would otherwise plan it again for new bound values.
        let stable = chorus_sqlite_keep_plans(UnsafeMutableRawPointer(handle))
        guard stable == SQLITE_OK else {
            sqlite_nio_sqlite3_close_v2(handle)
            throw DirectSQLiteError(code: stable, message: "SQLite could not keep its query plans.")
        }
        walPages = WALPages()
        batchedCounts = role == .writer ? BatchedCounts() : nil
        walPath =
            role == .writer
            ? sqlite_nio_sqlite3_db_filename(handle, "main").flatMap(sqlite_nio_sqlite3_filename_wal).map { String(cString: $0) } : nil
        if role == .writer {
            // Replaces SQLite's automatic checkpoints (a hook set at commit): `WALSync` checkpoints, off the writer.
            let counter = Unmanaged.passUnretained(walPages).toOpaque()
            _ = sqlite_nio_sqlite3_wal_hook(
                handle,
                { counter, _, _, pages in
                    if let counter { Unmanaged<WALPages>.fromOpaque(counter).takeUnretainedValue().count.store(Int(pages), ordering: .relaxed) }
                    return SQLITE_OK
                }, counter)
        }
        connection = Mutex(Connection(handle: handle))
        // Only the writer sets WAL: it opens first, and the setting stays with the database file. Savepoints' and
        // sorts' scratch pages stay in memory rather than in a temporary file: each write in a batch has its own
        // savepoint, and the profile put 4 % of a me too's CPU in writing that file. The writer's commits don't wait
        // for the disk (`synchronous = NORMAL`): `WALSync` syncs the WAL before a write is answered, and checkpoints.
        // A WAL that grew while readers held it (a burst under load) is cut back to `WALSync.sizeLimit` when it starts
        // over, instead of keeping its largest size on the disk.
        let own =
            role == .writer
            ? [
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA journal_size_limit = \(WALSync.sizeLimit)",
                // What is deleted is overwritten with zeros, not left in free space: an erased story can't be read back.
                "PRAGMA secure_delete = ON",
            ]
            : ["PRAGMA query_only = 1", "PRAGMA synchronous = FULL"]
        // The wait for another process's lock comes first: switching to WAL takes a lock too, and several processes
        // opening a new database at once (`chorus migrate` from each instance) failed with "database is locked".
        for pragma in ["PRAGMA busy_timeout = \(Self.patience)"] + own + ["PRAGMA temp_store = MEMORY"] {
            try run(pragma, binds: []) { _ in }
        }
    }

    /// How long a statement waits for a lock another process holds, in milliseconds.
    static let patience: Int32 = 15000

    /// The writer's WAL file, which `WALSync` syncs.
    let walPath: String?
    /// The writer's batch's additions to the counts (see `BatchedCounts`); nil on a reader.
    let batchedCounts: BatchedCounts?
    /// How many pages the writer's WAL holds, as SQLite tells after each commit (SQLite's automatic checkpoints are off:
    /// a hook set replaces them).
    var pagesInWAL: Int { walPages.count.load(ordering: .relaxed) }
    private let walPages: WALPages

    final class WALPages: Sendable {
        let count = Atomic<Int>(0)
    }

    /// Runs `sql` (no binds) at once when it need not wait, and on the thread pool when another process holds the
    /// lock it needs: `BEGIN IMMEDIATE` takes the write lock at once unless a command run beside the server is writing.
    func runAtOnce(_ sql: String) async throws {
        do {
            try run(sql, binds: [], patience: 0) { _ in }
        } catch let error as DirectSQLiteError where error.primaryCode == SQLITE_BUSY {
            try await runBlocking(sql)
        }
    }

    /// Runs `sql` (no binds) on the calling thread, for work already on the thread pool; `patience` (milliseconds)
    /// replaces the connection's wait for a lock.
    func runHere(_ sql: String, patience: Int32? = nil) throws {
        try run(sql, binds: [], patience: patience) { _ in }
    }

    /// Runs `sql` (no binds) on the thread pool: for the statements that may wait on the disk or on a lock.
    func runBlocking(_ sql: String) async throws {
        try await blockingThreads.runIfActive { try self.runHere(sql) }
    }

    /// The same connection, with each statement run on the thread pool: for reads that may scan many rows (a search
    /// through every voice's text), which would otherwise hold up one of the few threads every request shares.
    var onThreadPool: any SQLDatabase { OnThreadPool(connection: self) }

    private struct OnThreadPool: SQLDatabase {
        let connection: DirectSQLiteConnection
        var logger: Logger { connection.logger }
        var eventLoop: any EventLoop { connection.eventLoop }
        var dialect: any SQLDialect { connection.dialect }
        var queryLogLevel: Logger.Level? { nil }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
            connection.blockingThreads.runIfActive(eventLoop: eventLoop) { try connection.execute(query, onRow) }
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
            try await connection.blockingThreads.runIfActive { try connection.execute(query, onRow) }
        }
    }

    func close() {
        connection.withLock { $0 = nil }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try execute(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try execute(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func execute(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, encodables) = serialize(query)
        try run(sql, binds: try encodables.map { try encoder.encode($0) }, onRow)
    }

    /// Prepares (or takes the kept) statement, binds, steps through every row, and resets it for the next use.
    ///
    /// `patience` (milliseconds) replaces the connection's wait for another process's lock for this statement.
    private func run(_ sql: String, binds: [SQLiteData], patience: Int32? = nil, _ onRow: (any SQLRow) -> Void) throws {
        try self.connection.withLock { connection in
            guard let connection else { throw DirectSQLiteError.closed }
            let handle = connection.handle
            if let patience {
                sqlite_nio_sqlite3_busy_timeout(handle, patience)
            }
            defer {
                if patience != nil { sqlite_nio_sqlite3_busy_timeout(handle, Self.patience) }
            }
            let keep = sql.utf8.count <= Self.keptStatementLength
            let statement: OpaquePointer
            if keep, let kept = connection.statements[sql] {
                statement = kept
            } else {
                var prepared: OpaquePointer?
                let code = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, keep ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &prepared, nil)
                guard code == SQLITE_OK, let prepared else { throw DirectSQLiteError(code: code, handle: handle) }
                statement = prepared
                if keep {
                    if connection.statements.count >= Self.keptStatementsLimit {
                        for kept in connection.statements.values { sqlite_nio_sqlite3_finalize(kept) }
                        connection.statements.removeAll(keepingCapacity: true)
                    }
                    connection.statements[sql] = statement
                }
            }
            defer {
                if keep {
                    sqlite_nio_sqlite3_reset(statement)
                    sqlite_nio_sqlite3_clear_bindings(statement)
                } else {
                    sqlite_nio_sqlite3_finalize(statement)
                }
            }
            for (index, value) in binds.enumerated() {
                let code = Self.bind(value, at: Int32(index + 1), to: statement)
                guard code == SQLITE_OK else { throw DirectSQLiteError(code: code, handle: handle) }
            }
            var columns: [String]?
            while true {
                let code = sqlite_nio_sqlite3_step(statement)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else { throw DirectSQLiteError(code: code, handle: handle) }
                let names = columns ?? Self.columnNames(of: statement)
                columns = names
                onRow(DirectRow(columns: names, values: (0..<Int32(names.count)).map { Self.value(at: $0, of: statement) }, decoder: decoder))
            }
        }
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let value): return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
        case .float(let value): return sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .text(let value):
            return sqlite_nio_sqlite3_bind_text64(statement, index, value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let value):
            return value.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        case .null: return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private static func columnNames(of statement: OpaquePointer) -> [String] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
    }

    private static func value(at column: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return sqlite_nio_sqlite3_column_text(statement, column).map { .text(String(cString: $0)) } ?? .null
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    /// SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A row read by a direct connection, decoded like any other SQLite row.
private struct DirectRow: SQLRow {
    let columns: [String]
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    private func value(_ column: String) -> SQLiteData? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    func decodeNil(column: String) throws -> Bool { (value(column) ?? .null) == .null }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let value = value(column) else {
            throw DecodingError.keyNotFound(
                SomeCodingKey(stringValue: column), .init(codingPath: [], debugDescription: "No column named \(column)."))
        }
        return try decoder.decode(D.self, from: value)
    }
}

/// A statement a direct connection ran failed, with SQLite's result code (extended codes included).
public struct DirectSQLiteError: Error, Equatable, CustomStringConvertible {
    public let code: Int32
    public let message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(code: Int32, handle: OpaquePointer) {
        self.init(code: code, message: sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error \(code)")
    }

    /// A connection used after the database closed.
    static let closed = DirectSQLiteError(code: SQLITE_MISUSE, message: "The database is closed.")
    /// SQLite named no WAL file for the writer's database (it always does for a file on disk).
    static let noWAL = DirectSQLiteError(code: SQLITE_CANTOPEN, message: "SQLite named no WAL file for the database.")

    /// The primary result code, without the extended bits.
    public var primaryCode: Int32 { code & 0xff }

    /// The storage can't take writes now (full, read-only, failing, or locked by another process): answered like
    /// storage being away, as `StorageUnavailable` answers sqlite-nio's errors of the same kinds.
    var meansStorageUnavailable: Bool {
        // A request still running while the server shuts down meets a closed database: storage away, not a fault.
        self == .closed || [SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_BUSY, SQLITE_LOCKED].contains(primaryCode)
    }

    public var description: String { "SQLite error \(code): \(message)" }
}
