import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// SQLite's reading connections. A read takes a free one (opening another while fewer than `limit` are open, waiting
/// otherwise), runs its statements at once on its own thread, and hands it back. In WAL mode readers never wait for
/// the writer, and an index lookup takes microseconds: less than handing it to another thread and back would.
final class SQLiteReaders: Sendable {
    private struct State {
        var idle: [DirectSQLiteConnection] = []
        var open = 0
        var waiting: [CheckedContinuation<DirectSQLiteConnection, any Error>] = []
        var closed = false
    }

    private let open: @Sendable () throws -> DirectSQLiteConnection
    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int, open: @escaping @Sendable () throws -> DirectSQLiteConnection) {
        self.limit = limit
        self.open = open
    }

    /// Runs `body` on a reading connection; `mayScan` runs each of its statements on the thread pool instead.
    func read<T>(mayScan: Bool, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await checkOut()
        defer { checkIn(connection) }
        return try await body(mayScan ? connection.onThreadPool : connection)
    }

    private enum Next {
        case use(DirectSQLiteConnection)
        case openOne
        case wait
    }

    private func checkOut() async throws -> DirectSQLiteConnection {
        let next: Next = try state.withLock { state in
            guard !state.closed else { throw DirectSQLiteError.closed }
            if let connection = state.idle.popLast() { return .use(connection) }
            guard state.open < limit else { return .wait }
            state.open += 1
            return .openOne
        }
        switch next {
        case .use(let connection): return connection
        case .openOne:
            do {
                return try open()
            } catch {
                state.withLock { $0.open -= 1 }
                throw error
            }
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let handOver: DirectSQLiteConnection? = state.withLock { state in
                    // A connection may have come back between the two locks.
                    if let connection = state.idle.popLast() { return connection }
                    state.waiting.append(continuation)
                    return nil
                }
                if let handOver { continuation.resume(returning: handOver) }
            }
        }
    }

    private func checkIn(_ connection: DirectSQLiteConnection) {
        let waiter: CheckedContinuation<DirectSQLiteConnection, any Error>? = state.withLock { state in
            if state.closed {
                state.open -= 1
                connection.close()
                return nil
            }
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }

    /// Closes the idle connections now and the busy ones as they come back; later reads are refused.
    func close() {
        let (idle, waiting) = state.withLock { state in
            state.closed = true
            state.open -= state.idle.count
            defer {
                state.idle = []
                state.waiting = []
            }
            return (state.idle, state.waiting)
        }
        for connection in idle { connection.close() }
        for waiter in waiting { waiter.resume(throwing: DirectSQLiteError.closed) }
    }
}
