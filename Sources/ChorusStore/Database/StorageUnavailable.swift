import AsyncKit
import NIOCore
import NIOPosix
import PostgresNIO
import SQLiteNIO

/// The database can't take this request right now: PostgreSQL is down or restarting, or the disk is full or
/// read-only. Such a request gets a 503 with a calm message; nothing acknowledged is lost, and reads go on when they can.
public enum StorageUnavailable {
    /// PostgreSQL's SQLSTATEs for "not now": admin or crash shutdown (57P01, 57P02), starting up (57P03), disk full
    /// (53100), too many connections (53300), and a read-only server or database (25006).
    static let unavailableStates: Set<String> = ["57P01", "57P02", "57P03", "53100", "53300", "25006"]

    public static func matches(_ error: any Error) -> Bool {
        switch error {
        case let error as PSQLError:
            return error.code != .server || unavailableStates.contains(error.serverInfo?[.sqlState] ?? "")
        case let error as SQLiteError:
            switch error.reason {
            case .full, .readOnly, .ioError, .cantOpen, .busy, .locked, .busyTimeout, .readonlyDirectory, .readonlyCantLock,
                .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync, .ioErrorFailedTruncate, .cantOpenDirectory:
                return true
            default:
                return false
            }
        case let error as DirectSQLiteError:
            return error.meansStorageUnavailable
        case is WALSync.SyncFailed:
            return true
        case is ConnectionPoolError, is ConnectionPoolTimeoutError, is ChannelError, is IOError, is NIOConnectionError, is TimeLimitReached:
            return true
        default:
            return false
        }
    }
}

/// PostgreSQL rolled a transaction back because it met another one (a deadlock, 40P01, or a serialization failure,
/// 40001): run again, it goes through.
enum TransactionConflict {
    static func matches(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server else { return false }
        return ["40P01", "40001"].contains(error.serverInfo?[.sqlState] ?? "")
    }
}
