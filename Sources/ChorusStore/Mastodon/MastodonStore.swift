import ChorusCore
import SQLKit

/// An account with the counts a Mastodon app shows beside it.
public struct AccountSummary: Sendable, Equatable {
    public var account: Account
    public var followers: Int
    public var following: Int
    /// Public, visible voices only: anonymous and only-me voices are never counted on a profile.
    public var statuses: Int
    public var lastStatusAt: Int64?

    public init(account: Account, followers: Int, following: Int, statuses: Int, lastStatusAt: Int64?) {
        self.account = account
        self.followers = followers
        self.following = following
        self.statuses = statuses
        self.lastStatusAt = lastStatusAt
    }
}

/// What the Mastodon API reads beyond the web's needs: the home timeline, search, followed hashtags.
/// Every voice goes through `voiceSelect`, so an anonymous voice's author never leaves the store.
extension ChorusStore {
    /// Home: the reader's own voices (every visibility), public voices of accounts they follow, and listed voices
    /// with hashtags they follow. A followed account's anonymous voices are never picked by author.
    public func homeTimeline(accountID: Int64, page: PageRequest = .init()) async throws -> [Voice] {
        try await database.read { db in
            var query = Self.voiceSelect(viewer: accountID)
            query.appendInterpolation(unsafeRaw: " AND (v.account_id = ")
            query.appendInterpolation(bind: accountID)
            query.appendInterpolation(
                unsafeRaw: " OR (v.visibility = 'public' AND v.account_id IN (SELECT followed_id FROM follows WHERE follower_id = ")
            query.appendInterpolation(bind: accountID)
            query.appendInterpolation(
                unsafeRaw:
                    ")) OR (v.visibility <> 'only_me' AND v.id IN (SELECT vt.voice_id FROM voice_tags vt JOIN followed_tags ft ON ft.tag = vt.tag WHERE ft.account_id = "
            )
            query.appendInterpolation(bind: accountID)
            query.appendInterpolation(unsafeRaw: ")))")
            return try await Self.voices(db, query, page)
        }
    }

    /// For replies: the account of the voice each answers, only where that voice is public (an anonymous or only-me
    /// voice's author is never returned).
    public func publicAuthors(ofVoices ids: [Int64]) async throws -> [Int64: Int64] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { db in
            var query: SQLQueryString = "SELECT v.id, v.account_id FROM voices v WHERE v.visibility = 'public' AND v.id IN ("
            for (index, id) in Set(ids).enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
            var found: [Int64: Int64] = [:]
            for row in try await db.raw(query).all() { found[try row.int64("id")] = try row.int64("account_id") }
            return found
        }
    }

    /// Accounts with their counts, in one query.
    public func accountSummaries(ids: [Int64]) async throws -> [Int64: AccountSummary] {
        guard !ids.isEmpty else { return [:] }
        return try await database.read { db in
            var query: SQLQueryString = """
                SELECT \(unsafeRaw: Self.accountColumns),
                    (SELECT COUNT(*) FROM follows f WHERE f.followed_id = a.id) AS followers_n,
                    (SELECT COUNT(*) FROM follows f WHERE f.follower_id = a.id) AS following_n,
                    a.shown_voices AS statuses_n,
                    (SELECT MAX(v.created_at) FROM voices v WHERE v.account_id = a.id AND \(unsafeRaw: Self.shownVoice)) AS last_at
                FROM accounts a WHERE a.deleted_at IS NULL AND a.id IN (
                """
            for (index, id) in Set(ids).enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
            var found: [Int64: AccountSummary] = [:]
            for row in try await db.raw(query).all() {
                let account = try Self.account(from: row)
                found[account.id] = AccountSummary(
                    account: account, followers: try row.int("followers_n"), following: try row.int("following_n"),
                    statuses: try row.int("statuses_n"), lastStatusAt: try row.optionalInt64("last_at")
                )
            }
            return found
        }
    }

    /// Accounts whose handle or name starts with (or contains) the text.
    public func searchAccounts(_ text: String, limit: Int, offset: Int = 0) async throws -> [Account] {
        let needle = Self.likePattern(text.lowercased().trimmingCharacters(in: ["@"]))
        guard !needle.isEmpty else { return [] }
        return try await database.read(mayScan: true) { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: Self.accountColumns) FROM accounts a
                WHERE a.deleted_at IS NULL AND \(unsafeRaw: Self.accountShown)
                  AND (a.handle LIKE \(bind: needle + "%") ESCAPE '\\' OR LOWER(a.display_name) LIKE \(bind: "%" + needle + "%") ESCAPE '\\')
                ORDER BY CASE WHEN a.handle = \(bind: needle) THEN 0 ELSE 1 END, a.handle LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """
            ).all().map(Self.account(from:))
        }
    }

    /// Listed voices whose text contains the words, newest first.
    public func searchVoices(_ text: String, viewer: Int64?, limit: Int, offset: Int = 0) async throws -> [Voice] {
        let needle = Self.likePattern(text.lowercased())
        guard !needle.isEmpty else { return [] }
        return try await database.read(mayScan: true) { db in
            var query = Self.voiceSelect(viewer: viewer)
            query.appendInterpolation(unsafeRaw: " AND v.visibility <> 'only_me' AND LOWER(v.text) LIKE ")
            query.appendInterpolation(bind: "%" + needle + "%")
            query.appendInterpolation(unsafeRaw: " ESCAPE '\\' ORDER BY v.id DESC LIMIT \(limit) OFFSET \(offset)")
            return try await db.raw(query).all().map(Self.voice(from:))
        }
    }

    /// Hashtags in use on listed, visible voices that start with the text.
    public func searchTags(_ text: String, limit: Int, offset: Int = 0) async throws -> [String] {
        let needle = Self.likePattern(Hashtags.normalise(text.trimmingCharacters(in: ["#"])))
        guard !needle.isEmpty else { return [] }
        return try await database.read(mayScan: true) { db in
            try await db.raw(
                """
                SELECT t.tag, COUNT(*) AS n FROM voice_tags t JOIN voices v ON v.id = t.voice_id
                WHERE v.visibility <> 'only_me' AND v.state = 'visible' AND t.tag LIKE \(bind: needle + "%") ESCAPE '\\'
                GROUP BY t.tag ORDER BY n DESC, t.tag LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
                """
            ).all().map { try $0.string("tag") }
        }
    }

    static func likePattern(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    public func followTag(_ tag: String, by accountID: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                """
                INSERT INTO followed_tags (account_id, tag, created_at) VALUES (\(bind: accountID), \(bind: Hashtags.normalise(tag)), \(bind: ChorusDatabase.now()))
                ON CONFLICT DO NOTHING
                """
            ).run()
        }
    }

    public func unfollowTag(_ tag: String, by accountID: Int64) async throws {
        try await database.write { db in
            try await db.raw("DELETE FROM followed_tags WHERE account_id = \(bind: accountID) AND tag = \(bind: Hashtags.normalise(tag))").run()
        }
    }

    /// Followed hashtags, alphabetically.
    public func followedTags(by accountID: Int64) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT tag FROM followed_tags WHERE account_id = \(bind: accountID) ORDER BY tag").all().map { try $0.string("tag") }
        }
    }

    /// A hashtag's last 7 days (uses and people), newest first. Each anonymous voice counts as a person of its own: counted
    /// with its author's public voices, "2 uses, 1 person" would say who wrote it.
    public func tagHistory(_ tag: String) async throws -> [TagDay] {
        let today = MagnitudePeriod.day.start(ofMilliseconds: ChorusDatabase.now())
        // The trends' own day counts, with their rule (`TagDay.week`): an erased account leaves them as they are (a
        // count read from the voices dropped as a named account vanished, and told which tags its anonymous voices
        // had used, and when).
        let tag = Hashtags.normalise(tag)
        let days = try await database.read { db in try await Self.weekOfCounts(db, tags: [tag], endingOn: today) }
        return TagDay.week(endingOn: today, counts: days[tag] ?? [:])
    }
}

extension ChorusStore {
    /// How many accounts there are, and how many public voices everyone may read.
    public func instanceStats() async throws -> (users: Int, statuses: Int) {
        try await database.read(mayScan: true) { db in
            let users = try await db.raw("SELECT COUNT(*) AS n FROM accounts WHERE deleted_at IS NULL").first()?.int("n") ?? 0
            // Public voices only: a count with anonymous ones dropped by more than the named voices as an account was
            // erased, and so told that it had spoken anonymously.
            // Each account's count of its shown voices, for the accounts shown: a fully suspended account's voices
            // are out of view, and so out of the count.
            let statuses =
                try await db.raw(
                    """
                    SELECT CAST(COALESCE(SUM(shown_voices), 0) AS BIGINT) AS n FROM accounts
                    WHERE deleted_at IS NULL AND erasing = 0 AND (suspended_at IS NULL OR suspended_quietly = 1)
                    """
                ).first()?.int("n") ?? 0
            return (users, statuses)
        }
    }
}
