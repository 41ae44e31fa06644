import ChorusCore
import SQLKit

/// Everything Chorus keeps about a person, for them to download.
public struct DataExport: Codable, Sendable {
    public struct ExportedVoice: Codable, Sendable {
        public let id: String
        public let kind: String
        public let visibility: String
        /// `visible`, `held` (a reply the guard or a moderator holds for review) or `hidden` (by a moderator).
        public let state: String
        public let text: String
        public let contentWarning: String?
        public let language: String?
        public let inReplyToID: String?
        public let replyPolicy: String
        public let believeCount: Int
        /// The country chosen with a *me too* (counted in the magnitude by country), or nil.
        public let country: String?
        public let createdAt: Int64
    }
    public struct ExportedBelief: Codable, Sendable {
        public let voiceID: String
        public let createdAt: Int64
    }
    /// What the person was told: a belief, a reply, a follow… Who it came from is left out: some came from an
    /// anonymous voice's author.
    public struct ExportedNotification: Codable, Sendable {
        public let type: String
        public let voiceID: String?
        public let createdAt: Int64
    }
    /// An app the person let act for them (through the Mastodon API).
    public struct ExportedApp: Codable, Sendable {
        public let name: String
        public let website: String?
        public let scopes: String
        public let authorisedAt: Int64
    }
    /// A browser the person is signed in on (Chorus keeps no address or device of it, only when).
    public struct ExportedSession: Codable, Sendable {
        public let createdAt: Int64
        public let expiresAt: Int64
    }
    /// Where the person stopped reading a timeline, as one of their apps saved it.
    public struct ExportedReadMarker: Codable, Sendable {
        public let timeline: String
        public let lastReadID: String
        public let updatedAt: Int64
    }
    public let exportedAt: Int64
    public let account: Account
    public let recoveryCodesLeft: Int
    public let voices: [ExportedVoice]
    public let beliefs: [ExportedBelief]
    public let following: [String]
    public let followers: [String]
    /// The hashtags the person follows.
    public let followedTags: [String]
    public var notifications: [ExportedNotification] = []
    public var apps: [ExportedApp] = []
    public var sessions: [ExportedSession] = []
    /// Where the person stopped reading their home timeline and notifications, as their apps saved it.
    public var readMarkers: [ExportedReadMarker] = []
    public var moderation: ModerationExport?
}

extension ChorusStore {
    public func exportData(accountID: Int64) async throws -> DataExport {
        guard let account = try await account(id: accountID) else { throw Refusal(.notFound, "This account is not here.") }
        let codes = try await remainingRecoveryCodes(accountID: accountID)
        let moderation = try await moderationExport(accountID: accountID)
        return try await database.read { db in
            let voices = try await db.raw(
                """
                SELECT id, kind, visibility, state, text, content_warning, language, in_reply_to_id, reply_policy, believe_count, country, created_at
                FROM voices WHERE account_id = \(bind: accountID) ORDER BY id
                """
            ).all().map { row in
                DataExport.ExportedVoice(
                    id: String(try row.int64("id")), kind: try row.string("kind"), visibility: try row.string("visibility"),
                    state: try row.string("state"), text: try row.string("text"), contentWarning: try row.optionalString("content_warning"),
                    language: try row.optionalString("language"), inReplyToID: try row.optionalInt64("in_reply_to_id").map(String.init),
                    replyPolicy: try row.string("reply_policy"), believeCount: try row.int("believe_count"),
                    country: try row.optionalString("country"), createdAt: try row.int64("created_at")
                )
            }
            let beliefs = try await db.raw("SELECT voice_id, created_at FROM beliefs WHERE account_id = \(bind: accountID) ORDER BY id").all().map {
                DataExport.ExportedBelief(voiceID: String(try $0.int64("voice_id")), createdAt: try $0.int64("created_at"))
            }
            let following = try await db.raw(
                "SELECT a.display_handle FROM follows f JOIN accounts a ON a.id = f.followed_id WHERE f.follower_id = \(bind: accountID)"
            ).all().map { try $0.string("display_handle") }
            let followers = try await db.raw(
                "SELECT a.display_handle FROM follows f JOIN accounts a ON a.id = f.follower_id WHERE f.followed_id = \(bind: accountID)"
            ).all().map { try $0.string("display_handle") }
            let followedTags = try await db.raw("SELECT tag FROM followed_tags WHERE account_id = \(bind: accountID) ORDER BY tag").all().map {
                try $0.string("tag")
            }
            var export = DataExport(
                exportedAt: ChorusDatabase.now(), account: account, recoveryCodesLeft: codes, voices: voices, beliefs: beliefs,
                following: following, followers: followers, followedTags: followedTags, moderation: moderation
            )
            export.notifications = try await db.raw(
                "SELECT type, voice_id, created_at FROM notifications WHERE account_id = \(bind: accountID) ORDER BY id"
            ).all().map {
                DataExport.ExportedNotification(
                    type: try $0.string("type"), voiceID: try $0.optionalInt64("voice_id").map(String.init), createdAt: try $0.int64("created_at"))
            }
            export.apps = try await db.raw(
                """
                SELECT a.name, a.website, t.scopes, t.created_at FROM oauth_tokens t JOIN oauth_apps a ON a.id = t.app_id
                WHERE t.account_id = \(bind: accountID) ORDER BY t.id
                """
            ).all().map {
                DataExport.ExportedApp(
                    name: try $0.string("name"), website: try $0.optionalString("website"), scopes: try $0.string("scopes"),
                    authorisedAt: try $0.int64("created_at"))
            }
            export.sessions = try await db.raw(
                "SELECT created_at, expires_at FROM sessions WHERE account_id = \(bind: accountID) ORDER BY created_at"
            ).all().map { DataExport.ExportedSession(createdAt: try $0.int64("created_at"), expiresAt: try $0.int64("expires_at")) }
            export.readMarkers = try await db.raw(
                "SELECT timeline, last_read_id, version, updated_at FROM read_markers WHERE account_id = \(bind: accountID) ORDER BY timeline"
            ).all().map(Self.readMarker).map {
                DataExport.ExportedReadMarker(timeline: $0.timeline, lastReadID: String($0.lastReadID), updatedAt: $0.updatedAt)
            }
            return export
        }
    }
}
