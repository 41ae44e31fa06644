import ChorusCore
import SQLKit

/// An open report as a moderator sees it: the voice as `voiceSelect` shows it (an anonymous author stays "someone").
public struct QueuedReport: Sendable, Equatable {
    public let id: Int64
    public let target: ReportTarget
    public let category: ReportCategory
    public let note: String
    public let createdAt: Int64
    /// The reported voice, or nil for an account report or a voice deleted since.
    public let voice: Voice?
    /// The reported account's handle, for an account report only.
    public let accountHandle: String?
}

/// An appeal waiting for a decision.
public struct QueuedAppeal: Sendable, Equatable {
    public let actionID: Int64
    public let action: ModerationActionKind
    public let rule: Rule
    public let reason: String
    public let appealText: String
    /// The voice the action concerned (author "someone" when anonymous).
    public let voice: Voice?
    /// The account, only for a suspension made from an account report or a public voice.
    public let accountHandle: String?
}

/// A recent action, for the record and for undoing it.
public struct RecordedAction: Sendable, Equatable {
    public let id: Int64
    public let action: ModerationActionKind
    public let ruleNumber: Int
    public let reason: String
    public let createdAt: Int64
    public let voiceID: Int64?
    /// Only when it names no anonymous voice's author.
    public let accountHandle: String?
    public let appealState: AppealState?
    /// Whether `restore` can undo it now.
    public let canRestore: Bool
}

/// Everything waiting for moderators.
public struct ModerationQueue: Sendable, Equatable {
    public let reports: [QueuedReport]
    public let heldReplies: [Voice]
    /// The voices the held replies answer, by id, for context.
    public let answered: [Int64: Voice]
    public let appeals: [QueuedAppeal]
    public let recent: [RecordedAction]
}

extension ChorusStore {
    /// The queue: open reports, held replies, open appeals and recent actions. Moderators only.
    public func moderationQueue(moderatorID: Int64) async throws -> ModerationQueue {
        try await database.read { db in
            try await Self.requireModerator(db, moderatorID)
            let reportRows = try await db.raw(
                """
                SELECT r.id, r.target_kind, r.category, r.note, r.created_at, r.voice_id,
                       CASE WHEN r.target_kind = 'account' THEN a.display_handle ELSE NULL END AS account_handle
                FROM reports r JOIN accounts a ON a.id = r.account_id WHERE r.state = 'open' ORDER BY r.id ASC LIMIT 200
                """
            ).all()
            let reportedVoices = try await Self.voicesForModerator(
                db, ids: try reportRows.compactMap { try $0.optionalInt64("voice_id") }, moderatorID)
            let reports = try reportRows.map { row in
                QueuedReport(
                    id: try row.int64("id"), target: ReportTarget(rawValue: try row.string("target_kind")) ?? .voice,
                    category: ReportCategory(rawValue: try row.string("category")) ?? .other, note: try row.string("note"),
                    createdAt: try row.int64("created_at"), voice: try row.optionalInt64("voice_id").flatMap { reportedVoices[$0] },
                    accountHandle: try row.optionalString("account_handle")
                )
            }
            var heldQuery = Self.voiceSelect(
                viewer: moderatorID, alsoShowing: "v.state = 'held' AND \(unsafeRaw: Self.authorShown)", personalBoundaries: false)
            heldQuery.appendInterpolation(unsafeRaw: " AND v.state = 'held' ORDER BY v.id ASC LIMIT 200")
            let held = try await db.raw(heldQuery).all().map(Self.voice(from:))
            let answered = try await Self.voicesForModerator(db, ids: held.compactMap(\.inReplyTo), moderatorID)
            let actionColumns = """
                m.id, m.action, m.rule_number, u.text AS rule_text, m.reason, m.created_at, m.voice_id, m.appeal_state, m.appeal_text,
                CASE WHEN m.voice_id IS NULL OR v.visibility = 'public' THEN a.display_handle ELSE NULL END AS account_handle,
                CASE WHEN \(Self.suspensionHolds(quiet: "m.quiet")) THEN 1 ELSE 0 END AS suspension_holds, v.state AS voice_state
                FROM moderation_actions m JOIN rules u ON u.number = m.rule_number
                LEFT JOIN accounts a ON a.id = m.account_id LEFT JOIN voices v ON v.id = m.voice_id
                """
            let appealRows = try await db.raw(
                "SELECT \(unsafeRaw: actionColumns) WHERE m.appeal_state = 'open' ORDER BY m.appealed_at ASC LIMIT 200"
            ).all()
            let appealVoices = try await Self.voicesForModerator(db, ids: try appealRows.compactMap { try $0.optionalInt64("voice_id") }, moderatorID)
            let appeals = try appealRows.map { row in
                QueuedAppeal(
                    actionID: try row.int64("id"), action: ModerationActionKind(rawValue: try row.string("action")) ?? .hide,
                    rule: Rule(number: try row.int("rule_number"), text: try row.string("rule_text")), reason: try row.string("reason"),
                    appealText: try row.optionalString("appeal_text") ?? "", voice: try row.optionalInt64("voice_id").flatMap { appealVoices[$0] },
                    accountHandle: try row.optionalString("account_handle")
                )
            }
            let recent = try await db.raw("SELECT \(unsafeRaw: actionColumns) ORDER BY m.id DESC LIMIT 50").all().map { row in
                let action = ModerationActionKind(rawValue: try row.string("action")) ?? .hide
                let canRestore: Bool
                switch action {
                case .hide, .reject: canRestore = try row.optionalString("voice_state") == VoiceState.hidden.rawValue
                case .suspend: canRestore = try row.bool("suspension_holds")
                default: canRestore = false
                }
                return RecordedAction(
                    id: try row.int64("id"), action: action, ruleNumber: try row.int("rule_number"), reason: try row.string("reason"),
                    createdAt: try row.int64("created_at"), voiceID: try row.optionalInt64("voice_id"),
                    accountHandle: try row.optionalString("account_handle"),
                    appealState: try row.optionalString("appeal_state").flatMap(AppealState.init(rawValue:)), canRestore: canRestore
                )
            }
            return ModerationQueue(reports: reports, heldReplies: held, answered: answered, appeals: appeals, recent: recent)
        }
    }

    /// Voices by id as a moderator sees them, whatever their state, with anonymous authors NULL as everywhere.
    static func voicesForModerator(_ db: any SQLDatabase, ids: [Int64], _ moderatorID: Int64) async throws -> [Int64: Voice] {
        guard !ids.isEmpty else { return [:] }
        var list: SQLQueryString = "v.visibility <> 'only_me' AND v.id IN ("
        for (index, id) in ids.enumerated() {
            if index > 0 { list.appendInterpolation(unsafeRaw: ", ") }
            list.appendInterpolation(bind: id)
        }
        list.appendInterpolation(unsafeRaw: ")")
        var query = voiceSelect(viewer: moderatorID, alsoShowing: list, personalBoundaries: false)
        query.appendInterpolation(unsafeRaw: " AND (")
        query.appendInterpolation(list)
        query.appendInterpolation(unsafeRaw: ")")
        return Dictionary(try await db.raw(query).all().map(Self.voice(from:)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
