import ChorusCore
import SQLKit

/// Where a person stopped reading a timeline, kept for their apps (Mastodon's markers): each app opens where another
/// left off.
public struct ReadMarker: Sendable, Equatable {
    /// One of `ReadMarker.timelines`.
    public let timeline: String
    /// The id of the last status or notification read.
    public let lastReadID: Int64
    /// How many times it was saved before (0 the first time).
    public let version: Int64
    public let updatedAt: Int64

    /// The timelines a read position is kept for.
    public static let timelines = ["home", "notifications"]
}

extension ChorusStore {
    /// The person's read positions in the given timelines, those they saved.
    public func readMarkers(of accountID: Int64, timelines: [String]) async throws -> [ReadMarker] {
        let asked = ReadMarker.timelines.filter(timelines.contains)
        guard !asked.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw("SELECT timeline, last_read_id, version, updated_at FROM read_markers WHERE account_id = \(bind: accountID)")
                .all().map(Self.readMarker).filter { asked.contains($0.timeline) }
        }
    }

    /// Saves read positions (timelines other than `ReadMarker.timelines` are left out) and returns them as saved.
    public func saveReadMarkers(_ positions: [(timeline: String, lastReadID: Int64)], by accountID: Int64) async throws -> [ReadMarker] {
        let kept = positions.filter { ReadMarker.timelines.contains($0.timeline) }
        guard !kept.isEmpty else { return [] }
        let now = ChorusDatabase.now()
        return try await database.write { db in
            var saved: [ReadMarker] = []
            for position in kept {
                let row = try await db.raw(
                    """
                    INSERT INTO read_markers (account_id, timeline, last_read_id, version, updated_at)
                    VALUES (\(bind: accountID), \(bind: position.timeline), \(bind: position.lastReadID), 0, \(bind: now))
                    ON CONFLICT (account_id, timeline) DO UPDATE SET
                        last_read_id = excluded.last_read_id, version = read_markers.version + 1, updated_at = excluded.updated_at
                    RETURNING timeline, last_read_id, version, updated_at
                    """
                ).first()
                if let row { saved.append(try Self.readMarker(row)) }
            }
            return saved
        }
    }

    static func readMarker(_ row: any SQLRow) throws -> ReadMarker {
        ReadMarker(
            timeline: try row.string("timeline"), lastReadID: try row.int64("last_read_id"), version: try row.int64("version"),
            updatedAt: try row.int64("updated_at"))
    }
}
