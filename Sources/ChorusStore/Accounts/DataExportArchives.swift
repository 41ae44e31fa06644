import ChorusCore
import Foundation
import SQLKit

/// An archive of a person's data, prepared by a job: asked for on the settings page, then downloaded from it
/// for a week. (The same data can still be downloaded at once, built in the request.)
public struct DataExportArchive: Sendable, Equatable {
    public enum State: String, Sendable {
        case preparing, ready
    }

    public let id: Int64
    public let state: State
    public let createdAt: Int64
    public let readyAt: Int64?
    public let expiresAt: Int64?
}

extension DataExport {
    /// The file a person downloads: pretty-printed JSON, keys sorted.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

extension ChorusStore {
    /// How long a prepared archive can be downloaded.
    public static let exportLifetime: Int64 = 7 * 24 * 3_600_000

    /// Asks for an archive. One is prepared at a time: asking again while one is being prepared returns that one;
    /// a new one replaces older ready ones.
    @discardableResult
    public func requestExport(accountID: Int64) async throws -> DataExportArchive {
        try await database.write { db in
            if let preparing = try await db.raw(
                "SELECT id, created_at FROM data_exports WHERE account_id = \(bind: accountID) AND state = 'preparing'"
            ).first() {
                return DataExportArchive(
                    id: try preparing.int64("id"), state: .preparing, createdAt: try preparing.int64("created_at"), readyAt: nil, expiresAt: nil)
            }
            let now = ChorusDatabase.now()
            let id = VoiceID.make(at: now)
            try await db.raw("DELETE FROM data_exports WHERE account_id = \(bind: accountID)").run()
            try await db.raw(
                "INSERT INTO data_exports (id, account_id, state, created_at) VALUES (\(bind: id), \(bind: accountID), 'preparing', \(bind: now))"
            ).run()
            try await Self.enqueue(db, kind: JobKind.buildExport, payload: String(id), uniqueKey: "\(JobKind.buildExport):\(id)")
            return DataExportArchive(id: id, state: .preparing, createdAt: now, readyAt: nil, expiresAt: nil)
        }
    }

    /// A person's archives that have not expired, newest first.
    public func exportArchives(accountID: Int64) async throws -> [DataExportArchive] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT id, state, created_at, ready_at, expires_at FROM data_exports
                WHERE account_id = \(bind: accountID) AND (expires_at IS NULL OR expires_at > \(bind: ChorusDatabase.now())) ORDER BY id DESC
                """
            ).all().map {
                DataExportArchive(
                    id: try $0.int64("id"), state: DataExportArchive.State(rawValue: try $0.string("state")) ?? .preparing,
                    createdAt: try $0.int64("created_at"), readyAt: try $0.optionalInt64("ready_at"), expiresAt: try $0.optionalInt64("expires_at"))
            }
        }
    }

    /// The file of a ready archive, only for the person it belongs to, until it expires.
    public func exportArchiveFile(id: Int64, accountID: Int64) async throws -> String? {
        try await database.read { db in
            try await db.raw(
                """
                SELECT content FROM data_exports WHERE id = \(bind: id) AND account_id = \(bind: accountID) AND state = 'ready'
                  AND expires_at > \(bind: ChorusDatabase.now())
                """
            ).first()?.optionalString("content")
        }
    }

    /// The job: reads the person's data (outside the job's transaction, as the download does), then stores the file
    /// in the transaction that marks the job done. An archive asked for by an account since deleted is dropped.
    var buildExportHandler: JobHandler {
        { [self] job, db in
            guard let id = Int64(job.payload) else {
                throw Refusal(.unprocessable, "This export job's payload “\(job.payload)” is not an archive id.")
            }
            guard let row = try await db.raw("SELECT account_id FROM data_exports WHERE id = \(bind: id) AND state = 'preparing'").first() else {
                return
            }
            let accountID = try row.int64("account_id")
            guard try await account(id: accountID) != nil else {
                try await db.raw("DELETE FROM data_exports WHERE id = \(bind: id)").run()
                return
            }
            let file = String(decoding: try await exportData(accountID: accountID).encoded(), as: UTF8.self)
            let now = ChorusDatabase.now()
            try await db.raw(
                """
                UPDATE data_exports SET state = 'ready', content = \(bind: file), ready_at = \(bind: now), expires_at = \(bind: now + Self.exportLifetime)
                WHERE id = \(bind: id) AND state = 'preparing'
                """
            ).run()
        }
    }
}
