import ChorusCore
import SQLKit

/// What someone reports: a voice or reply they can see, or an account.
public enum ReportSubject: Sendable, Equatable {
    case voice(Int64)
    case account(Int64)
}

/// A report as the person who made it follows it: what happened, without anyone's identity.
public struct ReportOutcome: Sendable, Equatable {
    public let id: Int64
    public let target: ReportTarget
    public let voiceID: Int64?
    public let category: ReportCategory
    public let note: String
    public let state: ReportState
    public let createdAt: Int64
    /// The action taken, once resolved.
    public let action: ModerationActionKind?
    public let rule: Rule?
    /// Whether the action was later reversed on appeal.
    public let reversed: Bool
    /// Whether a moderator later undid the action ("restore").
    public var restoredLater = false
    /// Whether the reporter has not yet seen the outcome.
    public let isNew: Bool
}

extension ChorusStore {
    public static let reportNoteLimit = 1_000

    /// Files a report. The account behind a voice is kept for moderators' actions and never shown for an anonymous voice.
    @discardableResult
    public func report(_ subject: ReportSubject, category: ReportCategory, note: String, by reporterID: Int64) async throws -> Int64 {
        let note = note.trimmingWhitespace
        guard note.count <= Self.reportNoteLimit else {
            throw InputError("A note can be up to \(Self.reportNoteLimit) characters.", field: "note")
        }
        let now = ChorusDatabase.now()
        let id = VoiceID.make(at: now)
        return try await database.write { db in
            let target: ReportTarget
            let accountID: Int64
            var voiceID: Int64?
            switch subject {
            case .voice(let id):
                guard let voice = try await Self.voiceOrHeldReplyToOwnThread(db, id: id, viewer: reporterID, ignoringBlocks: true),
                    let row = try await db.raw("SELECT account_id FROM voices WHERE id = \(bind: id)").first()
                else { throw Refusal.voiceNotFound() }
                guard try row.int64("account_id") != reporterID else {
                    throw Refusal(.unprocessable, "This is your own voice; you can delete it instead.")
                }
                target = voice.kind == .reply ? .reply : .voice
                accountID = try row.int64("account_id")
                voiceID = id
            case .account(let id):
                guard id != reporterID else { throw Refusal(.unprocessable, "This is your own account.") }
                guard try await db.raw("SELECT id FROM accounts WHERE id = \(bind: id) AND deleted_at IS NULL").first() != nil else {
                    throw Refusal(.notFound, "This account is not here.")
                }
                target = .account
                accountID = id
            }
            let duplicate = try await db.raw(
                """
                SELECT 1 AS one FROM reports WHERE reporter_id = \(bind: reporterID) AND state = 'open' AND target_kind = \(bind: target.rawValue)
                    AND account_id = \(bind: accountID) AND COALESCE(voice_id, 0) = \(bind: voiceID ?? 0)
                """
            ).first()
            guard duplicate == nil else {
                throw Refusal(
                    .conflict, "You have already reported this. A moderator will look at it; you will see the outcome on your reports page.")
            }
            try await db.raw(
                """
                INSERT INTO reports (id, reporter_id, target_kind, voice_id, account_id, category, note, created_at)
                VALUES (\(bind: id), \(bind: reporterID), \(bind: target.rawValue), \(bind: voiceID), \(bind: accountID), \(bind: category.rawValue),
                        \(bind: note), \(bind: now))
                """
            ).run()
            return id
        }
    }

    /// The reports a person made, newest first, with their outcomes.
    public func reports(by reporterID: Int64) async throws -> [ReportOutcome] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT r.id, r.target_kind, r.voice_id, r.category, r.note, r.state, r.created_at, r.resolved_at, r.reporter_seen_at,
                       m.action, m.rule_number, m.appeal_state, u.text AS rule_text,
                       CASE WHEN EXISTS (SELECT 1 FROM moderation_actions x WHERE x.action = 'restore' AND x.id > m.id
                           AND ((m.voice_id IS NOT NULL AND x.voice_id = m.voice_id) OR (m.voice_id IS NULL AND x.account_id = m.account_id)))
                       THEN 1 ELSE 0 END AS restored_later
                FROM reports r LEFT JOIN moderation_actions m ON m.id = r.action_id LEFT JOIN rules u ON u.number = m.rule_number
                WHERE r.reporter_id = \(bind: reporterID) ORDER BY r.id DESC LIMIT 200
                """
            ).all().map { row in
                let state = ReportState(rawValue: try row.string("state")) ?? .open
                let unseen = try row.optionalInt64("reporter_seen_at") == nil
                let rule = try row.optionalInt64("rule_number").map { Rule(number: Int($0), text: try row.optionalString("rule_text") ?? "") }
                var outcome = ReportOutcome(
                    id: try row.int64("id"), target: ReportTarget(rawValue: try row.string("target_kind")) ?? .voice,
                    voiceID: try row.optionalInt64("voice_id"), category: ReportCategory(rawValue: try row.string("category")) ?? .other,
                    note: try row.string("note"), state: state, createdAt: try row.int64("created_at"),
                    action: try row.optionalString("action").flatMap(ModerationActionKind.init(rawValue:)), rule: rule,
                    reversed: try row.optionalString("appeal_state") == AppealState.granted.rawValue,
                    isNew: state == .resolved && unseen
                )
                outcome.restoredLater = try row.bool("restored_later")
                return outcome
            }
        }
    }

    /// What a person has not been told yet: outcomes of their reports, and actions taken on what they wrote.
    public func moderationNotices(accountID: Int64) async throws -> (reportOutcomes: Int, actionsOnYou: Int) {
        try await database.read { db in
            let outcomes =
                try await db.raw(
                    "SELECT COUNT(*) AS n FROM reports WHERE reporter_id = \(bind: accountID) AND state = 'resolved' AND reporter_seen_at IS NULL"
                ).first()?.int("n") ?? 0
            let actions =
                try await db.raw(
                    """
                    SELECT COUNT(*) AS n FROM moderation_actions WHERE account_id = \(bind: accountID) AND subject_seen_at IS NULL
                        AND action IN ('hide', 'suspend', 'reject')
                    """
                ).first()?.int("n") ?? 0
            return (outcomes, actions)
        }
    }

    /// The person has read their reports' outcomes.
    public func markReportOutcomesSeen(accountID: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                """
                UPDATE reports SET reporter_seen_at = \(bind: ChorusDatabase.now())
                WHERE reporter_id = \(bind: accountID) AND state = 'resolved' AND reporter_seen_at IS NULL
                """
            ).run()
        }
    }
}
