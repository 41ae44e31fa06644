import ChorusCore
import SQLKit

/// The kinds of count the magnitude keeps, as stored.
enum MagnitudeKind: String, Sendable {
    /// Distinct people who said *me too*.
    case meToo = "metoo"
    /// *I believe you* taps, with the distinct people who gave them.
    case believe
    /// *I will* pledges, with the distinct people who made them.
    case pledge
}

/// One place a count is kept: a period's bucket, for every country ('') or for one.
struct MagnitudeCell: Sendable, Hashable {
    let kind: MagnitudeKind
    /// `hour`, `day` or `all`.
    let period: String
    let country: String
    let start: Int64

    /// The cells one event at `milliseconds` belongs to: its hour, its day and all time, and by country when one was given.
    static func cells(_ kind: MagnitudeKind, at milliseconds: Int64, country: String?) -> [MagnitudeCell] {
        var cells = [
            MagnitudeCell(kind: kind, period: "hour", country: "", start: MagnitudePeriod.hour.start(ofMilliseconds: milliseconds)),
            MagnitudeCell(kind: kind, period: "day", country: "", start: MagnitudePeriod.day.start(ofMilliseconds: milliseconds)),
            MagnitudeCell(kind: kind, period: "all", country: "", start: 0),
        ]
        if let country, !country.isEmpty {
            cells.append(MagnitudeCell(kind: kind, period: "day", country: country, start: MagnitudePeriod.day.start(ofMilliseconds: milliseconds)))
            cells.append(MagnitudeCell(kind: kind, period: "all", country: country, start: 0))
        }
        return cells
    }
}

extension ChorusStore {
    /// What a voice stores for the magnitude: the country the person chose (only a *me too* carries one), and whether
    /// its hashtags count in the trends (everyone may read it).
    static func magnitudeFields(of draft: VoiceDraft, state: VoiceState) -> (country: String?, inTrends: Bool) {
        (draft.kind == .meToo ? draft.country : nil, draft.visibility.isListed && state == .visible && !draft.hashtags.isEmpty)
    }

    /// Counts a voice just written with these `magnitudeFields`, in the same transaction: its magnitude cells, and its
    /// hashtags in the trends. Returns 1 when the voice adds a person to the all-time *me too* people, else 0.
    @discardableResult
    static func recordMagnitude(
        of draft: VoiceDraft, id voiceID: Int64, visibility: Visibility, country: String?, inTrends: Bool, by accountID: Int64, at now: Int64,
        _ db: any SQLDatabase
    ) async throws -> Int64 {
        var newPeople: Int64 = 0
        switch draft.kind {
        case .meToo:
            let who = meTooKey(account: accountID, voice: voiceID, visibility: visibility)
            newPeople = try await count(.meToo, by: who, at: now, country: country, change: 1, db)
        case .pledge: try await count(.pledge, by: accountID, at: now, country: nil, change: 1, db)
        case .reply, .note: break
        }
        if inTrends {
            // In one order for every writer: near the minimum each hashtag's count takes a lock (see `countTag`).
            let who = trendsKey(account: accountID, voice: voiceID, visibility: visibility)
            for tag in draft.hashtags.sorted() { try await countTag(tag, by: who, at: now, change: 1, db) }
        }
        return newPeople
    }

    /// Who a *me too* counts as among the people who said it: its author's account for a public voice, so that a person
    /// counts once however many times they speak by name; the voice itself (a negative number, never an account id) for
    /// an anonymous one, as in the trends; and its author's journal (`journalKey`) for an "only me" one. Counted under
    /// the author's account, a figure that did not move would tell that they had spoken before: an anonymous voice's
    /// author, perhaps by name that same day, or a named voice's author, in their private journal. `meTooKeySQL` is the
    /// same in SQL.
    static func meTooKey(account: Int64, voice: Int64, visibility: Visibility) -> Int64 {
        switch visibility {
        case .public: account
        case .anonymous: -voice
        case .onlyMe: journalKey(account)
        }
    }

    /// Who an account's "only me" voices count as: below every voice's negative id, so never an account or a voice.
    static func journalKey(_ account: Int64) -> Int64 { journalKeyBase - account }

    private static let journalKeyBase: Int64 = -(1 << 62)

    /// `meTooKey` of the voice aliased `v`, in SQL.
    static let meTooKeySQL =
        "CASE v.visibility WHEN 'anonymous' THEN -v.id WHEN 'only_me' THEN \(journalKeyBase) - v.account_id ELSE v.account_id END"

    /// `journalKey` of the account `:account`, in SQL, for the statements account deletion runs.
    static let journalKeyOfAccountSQL = "\(journalKeyBase) - :account"

    /// Who a voice counts as in a hashtag's "accounts": its author's account for a public voice, and the voice itself
    /// (as a negative number, never an account id) for an anonymous one. Counted under its author's account, an anonymous
    /// voice left `accounts` unmoved when its author had used the tag openly that day, and so told which of the tag's
    /// open posters wrote it. `trendsKeySQL` is the same in SQL.
    static func trendsKey(account: Int64, voice: Int64, visibility: Visibility) -> Int64 {
        visibility == .public ? account : -voice
    }

    /// `trendsKey` of the voice aliased `v`, in SQL.
    static let trendsKeySQL = "CASE WHEN v.visibility = 'public' THEN v.account_id ELSE -v.id END"

    /// Counts an *I believe you* given at `milliseconds`.
    static func recordBelief(by accountID: Int64, at milliseconds: Int64, _ db: any SQLDatabase) async throws {
        try await count(.believe, by: accountID, at: milliseconds, country: nil, change: 1, db)
    }

    /// Takes back an *I believe you* that was given at `milliseconds`.
    static func recordBeliefTakenBack(by accountID: Int64, givenAt milliseconds: Int64, _ db: any SQLDatabase) async throws {
        try await count(.believe, by: accountID, at: milliseconds, country: nil, change: -1, db)
    }

    /// Takes back every belief an account gave (before they are erased with it).
    static func recordBeliefsErased(by accountID: Int64, _ db: any SQLDatabase) async throws {
        for row in try await db.raw("SELECT created_at FROM beliefs WHERE account_id = \(bind: accountID)").all() {
            try await recordBeliefTakenBack(by: accountID, givenAt: try row.int64("created_at"), db)
        }
    }

    /// Takes voices about to be deleted out of every cell and trend, with the beliefs they received.
    static func recordVoicesDeleted(where condition: String, _ db: any SQLDatabase) async throws {
        let voices = try await db.raw(
            "SELECT id, account_id, visibility, kind, country, in_trends, created_at FROM voices WHERE \(unsafeRaw: condition)"
        ).all()
        var peopleGone: Int64 = 0
        for row in voices {
            let account = try row.int64("account_id")
            let at = try row.int64("created_at")
            switch VoiceKind(rawValue: try row.string("kind")) {
            case .meToo:
                let visibility = Visibility(rawValue: try row.string("visibility")) ?? .anonymous
                let who = meTooKey(account: account, voice: try row.int64("id"), visibility: visibility)
                // An anonymous or "only me" voice written before it counted apart was counted under its author's account.
                peopleGone -= try await count(
                    .meToo, by: who, orBefore: who == account ? nil : account, at: at, country: try row.optionalString("country"), change: -1, db)
            case .pledge: try await count(.pledge, by: account, at: at, country: nil, change: -1, db)
            default: break
            }
            if try row.bool("in_trends") {
                let tags = try await db.raw("SELECT tag FROM voice_tags WHERE voice_id = \(bind: try row.int64("id")) ORDER BY tag").all()
                let visibility = Visibility(rawValue: try row.string("visibility")) ?? .anonymous
                let who = trendsKey(account: account, voice: try row.int64("id"), visibility: visibility)
                for tag in tags { try await countTag(try tag.string("tag"), by: who, at: at, change: -1, db) }
            }
        }
        let beliefs = try await db.raw(
            "SELECT account_id, created_at FROM beliefs WHERE voice_id IN (SELECT id FROM voices WHERE \(unsafeRaw: condition))"
        ).all()
        for row in beliefs {
            try await recordBeliefTakenBack(by: try row.int64("account_id"), givenAt: try row.int64("created_at"), db)
        }
        if peopleGone > 0 { try await add(-Int(peopleGone), to: .meTooPeople, db) }
    }

    /// Adds `change` (±1) to every cell the event belongs to; a cell's people change only when a person enters or leaves it.
    /// Returns how the all-time people (every country) changed: 1, -1 or 0.
    @discardableResult
    private static func count(
        _ kind: MagnitudeKind, by accountID: Int64, orBefore earlierKey: Int64? = nil, at milliseconds: Int64, country: String?, change: Int64,
        _ db: any SQLDatabase
    )
        async throws -> Int64
    {
        if let country, !country.isEmpty { try await keepCountriesAsTheDayBegan(db) }
        let cells = MagnitudeCell.cells(kind, at: milliseconds, country: country)
        var people: [MagnitudeCell: Int64] = [:]
        if change > 0 {
            // One statement for the person in every cell, and one for the cells: the event's statements don't grow with its cells.
            let rows: [SQLQueryString] = cells.map { cell in
                "(\(bind: kind.rawValue), \(bind: cell.period), \(bind: cell.country), \(bind: cell.start), \(bind: accountID), \(bind: change))"
            }
            let upsert: SQLQueryString = """
                INSERT INTO magnitude_people (kind, period, country, start_at, account_id, amount) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (kind, period, country, start_at, account_id) DO UPDATE SET amount = magnitude_people.amount + excluded.amount
                RETURNING period, country, start_at, amount
                """
            for row in try await db.raw(upsert).all() {
                let cell = MagnitudeCell(
                    kind: kind, period: try row.string("period"), country: try row.string("country"), start: try row.int64("start_at"))
                people[cell] = try row.int64("amount") == change ? 1 : 0
            }
        } else {
            for cell in cells {
                var counted: (key: Int64, row: any SQLRow)?
                for key in [accountID] + (earlierKey.map { [$0] } ?? []) {
                    let row = try await db.raw(
                        """
                        UPDATE magnitude_people SET amount = amount + \(bind: change)
                        WHERE kind = \(bind: kind.rawValue) AND period = \(bind: cell.period) AND country = \(bind: cell.country)
                            AND start_at = \(bind: cell.start) AND account_id = \(bind: key)
                        RETURNING amount
                        """
                    ).first()
                    if let row {
                        counted = (key, row)
                        break
                    }
                }
                guard let counted else { continue }  // never counted (written before counting began): nothing to take back
                people[cell] = try counted.row.int64("amount") <= 0 ? -1 : 0
                if people[cell] == -1 {
                    try await db.raw(
                        """
                        DELETE FROM magnitude_people WHERE kind = \(bind: kind.rawValue) AND period = \(bind: cell.period)
                            AND country = \(bind: cell.country) AND start_at = \(bind: cell.start) AND account_id = \(bind: counted.key)
                        """
                    ).run()
                }
            }
        }
        let counted = cells.filter { people[$0] != nil }
        let allTime = people[MagnitudeCell(kind: kind, period: "all", country: "", start: 0)] ?? 0
        guard !counted.isEmpty else { return allTime }
        if let batched = db.batchedCounts {
            for cell in counted { batched.add(people: people[cell] ?? 0, amount: change, to: cell) }
        } else {
            try await addToCells(counted.map { ($0, people[$0] ?? 0, change) }, db)
        }
        return allTime
    }

    /// Before the day's first change to a country's count (a *me too* with a country, written or deleted), keeps every
    /// country's all-time count as it is, under today, with a row for no country to say it was kept: `meTooByCountry`
    /// publishes that until the day is over.
    static func keepCountriesAsTheDayBegan(_ db: any SQLDatabase) async throws {
        let today = MagnitudePeriod.day.start(ofMilliseconds: ChorusDatabase.now())
        guard try await db.raw("SELECT people FROM countries_as_the_day_began WHERE day = \(bind: today) AND country = ''").first() == nil else {
            return
        }
        // Two writers may both find it missing (PostgreSQL): the first one's rows stay.
        try await db.raw(
            """
            INSERT INTO countries_as_the_day_began (day, country, people)
            SELECT \(bind: today), country, people FROM magnitude_cells WHERE kind = 'metoo' AND period = 'all' AND country <> ''
            UNION ALL SELECT \(bind: today), '', 0 WHERE 1 = 1
            ON CONFLICT (day, country) DO NOTHING
            """
        ).run()
    }

    /// Adds people and amounts to cells, in this connection's part of each.
    static func addToCells(_ changes: [(cell: MagnitudeCell, people: Int64, amount: Int64)], _ db: any SQLDatabase) async throws {
        let part = CountParts.part(on: db)
        let rows: [SQLQueryString] = changes.map { change in
            let cell = change.cell
            return
                "(\(bind: cell.kind.rawValue), \(bind: cell.period), \(bind: cell.country), \(bind: cell.start), \(bind: part), \(bind: change.people), \(bind: change.amount))"
        }
        try await db.raw(
            """
            INSERT INTO magnitude_cell_parts (kind, period, country, start_at, part, people, amount) VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (kind, period, country, start_at, part)
            DO UPDATE SET people = magnitude_cell_parts.people + excluded.people, amount = magnitude_cell_parts.amount + excluded.amount
            """
        ).run()
    }

    /// Counts one use of a hashtag (or takes it back), by distinct accounts per UTC day (`accountID` is a `trendsKey`).
    private static func countTag(_ tag: String, by accountID: Int64, at milliseconds: Int64, change: Int64, _ db: any SQLDatabase) async throws {
        let day = MagnitudePeriod.day.start(ofMilliseconds: milliseconds)
        var newAccount: Int64 = 0
        if change > 0 {
            let row = try await db.raw(
                """
                INSERT INTO tag_day_accounts (tag, day, account_id, uses, first_at)
                VALUES (\(bind: tag), \(bind: day), \(bind: accountID), 1, \(bind: milliseconds))
                ON CONFLICT (tag, day, account_id) DO UPDATE SET uses = tag_day_accounts.uses + 1
                RETURNING uses
                """
            ).first()
            newAccount = try row?.int64("uses") == 1 ? 1 : 0
        } else {
            let row = try await db.raw(
                """
                UPDATE tag_day_accounts SET uses = uses - 1 WHERE tag = \(bind: tag) AND day = \(bind: day) AND account_id = \(bind: accountID)
                RETURNING uses
                """
            ).first()
            guard let row else { return }
            if try row.int64("uses") <= 0 {
                newAccount = -1
                try await db.raw(
                    "DELETE FROM tag_day_accounts WHERE tag = \(bind: tag) AND day = \(bind: day) AND account_id = \(bind: accountID)"
                ).run()
            }
        }
        // The decay runs from the last time a new account joined in, when the score last rose.
        let lastAccountAt = newAccount > 0 ? milliseconds : 0
        try await db.raw(
            """
            INSERT INTO tag_day_parts (tag, day, part, uses, accounts, last_account_at)
            VALUES (\(bind: tag), \(bind: day), \(bind: CountParts.part(on: db)), \(bind: change), \(bind: newAccount), \(bind: lastAccountAt))
            ON CONFLICT (tag, day, part) DO UPDATE SET uses = tag_day_parts.uses + excluded.uses,
                accounts = tag_day_parts.accounts + excluded.accounts,
                last_account_at = CASE WHEN excluded.last_account_at > tag_day_parts.last_account_at
                    THEN excluded.last_account_at ELSE tag_day_parts.last_account_at END
            """
        ).run()
        guard newAccount != 0 else { return }
        // Reaching the minimum, or falling below it, changes what may be published: the trends snapshot is redone.
        let crossing = Int64(TrendScore.minimumAccounts) - (newAccount > 0 ? 0 : 1)
        let parts = CountParts.count(on: db)
        var accounts = try await tagAccounts(tag, day: day, db)
        if parts > 1, let seen = accounts, abs(seen - crossing) < parts {
            // Near the minimum, writes to other parts not yet committed (at most one a part) could hide the crossing.
            // Each such write takes part 0's row and keeps it until it commits, then counts again: in that order, every
            // one sees all those before it, so exactly one sees the crossing.
            try await db.raw(
                """
                INSERT INTO tag_day_parts (tag, day, part, uses, accounts, last_account_at) VALUES (\(bind: tag), \(bind: day), 0, 0, 0, 0)
                ON CONFLICT (tag, day, part) DO UPDATE SET uses = tag_day_parts.uses
                """
            ).run()
            accounts = try await tagAccounts(tag, day: day, db)
        }
        if accounts == crossing { try await trendInputsCrossedMinimum(db) }
    }

    private static func tagAccounts(_ tag: String, day: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT accounts FROM tag_days WHERE tag = \(bind: tag) AND day = \(bind: day)").first()?.int64("accounts")
    }
}

/// The rows every write adds to (today's and all time's cells, a hashtag's day, the running totals) are kept in parts,
/// summed when read (migrations 11 and 13). On PostgreSQL each connection adds to a part of its own, so two writes from
/// one process never wait on each other's row lock until the first commits; parts drawn at random collided often with
/// 64 writes at once (3 ms of waiting per write, measured). The parts start at an offset drawn once per process, so two
/// instances' connections seldom share one. SQLite's one writer never waits on a row, so there every write adds to part 0.
enum CountParts {
    static func count(on db: any SQLDatabase) -> Int64 { db.dialect.name == "sqlite" ? 1 : 64 }

    static func part(on db: any SQLDatabase) -> Int64 {
        let parts = count(on: db)
        guard parts > 1 else { return 0 }
        guard let postgres = db as? PostgresStatementDatabase else { return Int64.random(in: 0..<parts) }
        return (processOffset + Int64(postgres.connection.id)) % parts
    }

    private static let processOffset = Int64.random(in: 0..<Int64(Int32.max))
}
