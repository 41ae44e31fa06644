import ChorusCore
import SQLKit

extension ChorusStore {
    public func follow(_ followedID: Int64, by followerID: Int64) async throws {
        guard followedID != followerID else { throw Refusal(.unprocessable, "You can't follow yourself.") }
        try await database.write { db in
            try await db.holdAccounts(followerID, followedID)
            guard try await db.raw("SELECT id FROM accounts WHERE id = \(bind: followedID) AND deleted_at IS NULL").first() != nil else {
                throw Refusal(.notFound, "This account is not here.")
            }
            // A block on a profile ends following both ways (BlockStore) and keeps it ended.
            if try await Self.isBlocked(db, blocker: followerID, blocked: followedID, onProfileOnly: true) {
                throw Refusal(.unprocessable, "You have blocked this account. Unblock it first if you want to follow it.")
            }
            if try await Self.isBlocked(db, blocker: followedID, blocked: followerID, onProfileOnly: true) {
                throw Refusal(.forbidden, "This account can't be followed.")
            }
            try await db.raw(
                """
                INSERT INTO follows (follower_id, followed_id, created_at) VALUES (\(bind: followerID), \(bind: followedID), \(bind: ChorusDatabase.now()))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    public func unfollow(_ followedID: Int64, by followerID: Int64) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM follows WHERE follower_id = \(bind: followerID) AND followed_id = \(bind: followedID)").run()
        }
    }

    /// Whether `followerID` follows `followedID`.
    public func follows(_ followedID: Int64, by followerID: Int64) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT 1 AS one FROM follows WHERE follower_id = \(bind: followerID) AND followed_id = \(bind: followedID)").first()
                != nil
        }
    }

    /// How many accounts follow and are followed by an account, and how many public voices it has.
    public func accountCounts(_ accountID: Int64) async throws -> (followers: Int, following: Int, voices: Int) {
        try await database.read { db in
            let followers = try await db.raw("SELECT COUNT(*) AS n FROM follows WHERE followed_id = \(bind: accountID)").first()?.int("n") ?? 0
            let following = try await db.raw("SELECT COUNT(*) AS n FROM follows WHERE follower_id = \(bind: accountID)").first()?.int("n") ?? 0
            let voices =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM voices WHERE account_id = \(bind: accountID) AND visibility = 'public' AND state = 'visible'"
                )
                .first()?.int("n") ?? 0
            return (followers, following, voices)
        }
    }

    /// The accounts that follow `accountID` (`.followers`) or that it follows (`.following`), the latest follow first,
    /// a page at a time; each with its cursor for the next page (when the follow was made, in milliseconds).
    public func followList(_ list: FollowList, of accountID: Int64, page: PageRequest = .init()) async throws
        -> [(cursor: Int64, account: Account)]
    {
        let (own, other) = list == .followers ? ("f.followed_id", "f.follower_id") : ("f.follower_id", "f.followed_id")
        return try await database.read { db in
            var query: SQLQueryString = """
                SELECT f.created_at AS followed_at, \(unsafeRaw: Self.accountColumns) FROM follows f JOIN accounts a ON a.id = \(unsafeRaw: other)
                WHERE \(unsafeRaw: own) = \(bind: accountID) AND a.deleted_at IS NULL
                """
            if let maxID = page.maxID { query.appendInterpolation(unsafeRaw: " AND f.created_at < "); query.appendInterpolation(bind: maxID) }
            if let sinceID = page.sinceID ?? page.minID {
                query.appendInterpolation(unsafeRaw: " AND f.created_at > "); query.appendInterpolation(bind: sinceID)
            }
            query.appendInterpolation(unsafeRaw: " ORDER BY f.created_at DESC, a.id DESC LIMIT \(page.limit)")
            // A suspended account is listed nowhere (a quiet suspension, where its owner sees no change, excepted).
            return try await db.raw(query).all().map { (try $0.int64("followed_at"), try Self.account(from: $0)) }
                .filter { !$0.account.isHiddenBySuspension }
        }
    }

    /// Ids of the accounts `accountID` follows.
    public func followedIDs(by accountID: Int64) async throws -> [Int64] {
        try await database.read { db in
            try await db.raw("SELECT followed_id FROM follows WHERE follower_id = \(bind: accountID)").all().map { try $0.int64("followed_id") }
        }
    }
}

/// One side of an account's follows.
public enum FollowList: Sendable {
    /// The accounts that follow it.
    case followers
    /// The accounts it follows.
    case following
}
