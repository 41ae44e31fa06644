import ChorusCore
import SQLKit

/// What a moderator acts on. Never a handle for an anonymous voice: its author is reached through the voice.
public enum ModerationSubject: Sendable, Equatable {
    /// An open report: its voice, or its account.
    case report(Int64)
    /// A voice or reply (a held reply to approve or reject, a voice to hide, or its author to suspend).
    case voice(Int64)
    /// An earlier action to undo with `restore`.
    case action(Int64)
}

/// A moderator's action as the person it concerns sees it (their own voice and the rule, never the moderator).
public struct ActionOnYou: Sendable, Equatable {
    public let id: Int64
    public let action: ModerationActionKind
    public let rule: Rule
    public let reason: String
    public let createdAt: Int64
    /// The voice it concerned (their own), if any.
    public let voiceID: Int64?
    public let voiceText: String?
    public let appealState: AppealState?
    public let appealText: String?
    public let appealReason: String?
    /// Whether it is still in effect: a moderator may have restored the voice or lifted the suspension since.
    public var inEffect = true

    public var canAppeal: Bool { action.isAppealable && appealState == nil && inEffect }
}

/// What an action changed, for live updates: the action's id, the voice it concerned, and that voice as everyone now sees it.
public struct ModerationResult: Sendable, Equatable {
    public let actionID: Int64
    public let voiceID: Int64?
    /// The voice as a signed-out reader sees it after the action: nil when it is hidden (or was never a voice).
    public let shownVoice: Voice?
    /// The public voices a full suspension took from everyone's view (see `publicVoicesGoingWith`), for the streams.
    public var hiddenWithAccount: [Int64] = []
    /// The person told of the action in their notifications, if any.
    public var warnedAccountID: Int64?
}

extension Optional where Wrapped: Sendable {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

extension ChorusStore {
    /// Takes one moderation action in one transaction: the change, its record (rule and reason), and every open report it settles.
    @discardableResult
    public func act(_ decision: ModerationDecision, on subject: ModerationSubject, by moderatorID: Int64) async throws -> ModerationResult {
        let now = ChorusDatabase.now()
        let actionID = VoiceID.make(at: now)
        return try await database.write { db in
            try await db.takeTurn(.moderation)
            try await Self.requireModerator(db, moderatorID)
            guard try await db.raw("SELECT 1 AS one FROM rules WHERE number = \(bind: Int64(decision.ruleNumber))").first() != nil else {
                throw InputError("There is no rule \(decision.ruleNumber). Choose one of the instance's rules.", field: "rule")
            }
            var voiceID: Int64?
            var accountID: Int64?
            var settles: SQLQueryString?
            var liftsSuspension = false
            var liftsQuietly = false
            var undoneActionID: Int64?
            switch subject {
            case .report(let id):
                guard let report = try await db.raw("SELECT voice_id, account_id, target_kind, state FROM reports WHERE id = \(bind: id)").first()
                else { throw Refusal(.notFound, "This report is not in the queue.") }
                guard try report.string("state") == "open" else { throw Refusal(.conflict, "This report has already been handled.") }
                voiceID = try report.optionalInt64("voice_id")
                accountID = try report.int64("account_id")
                if let voiceID {
                    settles = "voice_id = \(bind: voiceID)"
                } else {
                    settles = "target_kind = 'account' AND account_id = \(bind: accountID ?? 0)"
                }
            case .voice(let id):
                // A private journal entry is nobody's to moderate: it is treated as not there.
                guard let row = try await db.raw("SELECT account_id FROM voices WHERE id = \(bind: id) AND visibility <> 'only_me'").first() else {
                    throw Refusal.voiceNotFound()
                }
                voiceID = id
                accountID = try row.int64("account_id")
            case .action(let id):
                guard decision.action == .restore else { throw Refusal(.unprocessable, "An earlier action can only be undone with “restore”.") }
                guard let row = try await db.raw("SELECT action, voice_id, account_id, quiet FROM moderation_actions WHERE id = \(bind: id)").first()
                else {
                    throw Refusal(.notFound, "This action is not here.")
                }
                // Only a decision that changed something can be undone: "restoring" a dismissal or an approval would
                // undo whatever later decision was made about the same voice or account.
                let undone = ModerationActionKind(rawValue: try row.string("action"))
                guard let undone, [.hide, .reject, .suspend].contains(undone) else {
                    throw Refusal(.unprocessable, "Only a hide, a rejection or a suspension can be undone. This action changed nothing to undo.")
                }
                voiceID = try row.optionalInt64("voice_id")
                accountID = try row.optionalInt64("account_id")
                liftsSuspension = undone == .suspend
                liftsQuietly = try row.bool("quiet")
                undoneActionID = id
            }
            // A moderator never decides what is about them: another moderator does.
            if accountID == moderatorID {
                throw Refusal(.forbidden, "This is about you or something you wrote, so another moderator decides it.")
            }
            let quiet: Bool
            if liftsSuspension, let accountID {
                try await Self.liftSuspension(accountID, quiet: liftsQuietly, through: voiceID, db)
                quiet = liftsQuietly
            } else {
                quiet = try await Self.apply(decision.action, voiceID: voiceID, accountID: accountID, hasReport: settles != nil, db)
            }
            try await db.raw(
                """
                INSERT INTO moderation_actions (id, moderator_id, action, rule_number, reason, voice_id, account_id, month, created_at, quiet)
                VALUES (\(bind: actionID), \(bind: moderatorID), \(bind: decision.action.rawValue), \(bind: Int64(decision.ruleNumber)),
                        \(bind: decision.reason), \(bind: voiceID), \(bind: accountID), \(bind: ModerationMonth.of(milliseconds: now)), \(bind: now),
                        \(bind: quiet.sqlValue))
                """
            ).run()
            // The people who reported what a restore undid are told again: their page says it was undone.
            if let undoneActionID {
                try await db.raw("UPDATE reports SET reporter_seen_at = NULL WHERE action_id = \(bind: undoneActionID)").run()
            }
            if let settles {
                try await db.raw(
                    "UPDATE reports SET state = 'resolved', action_id = \(bind: actionID), resolved_at = \(bind: now) WHERE state = 'open' AND \(settles)"
                ).run()
            }
            let shown = try await voiceID.asyncFlatMap { try await Self.voice(db, id: $0, viewer: nil) }
            var result = ModerationResult(actionID: actionID, voiceID: voiceID, shownVoice: shown)
            // The person acted on is told among their notifications too, as their apps expect (`moderation_warning`);
            // the notification is theirs alone, so it names nothing they did not write.
            if [.hide, .reject, .suspend].contains(decision.action), let accountID,
                try await db.raw("SELECT 1 AS one FROM accounts WHERE id = \(bind: accountID) AND deleted_at IS NULL").first() != nil
            {
                _ = try await Self.insertNotification(
                    db, kind: .moderationWarning, to: accountID, from: accountID, voiceID: nil,
                    groupKey: ChorusNotification.moderationGroupKey(actionID: actionID))
                result.warnedAccountID = accountID
            }
            // Only a full suspension announces the account's voices: a quiet one made on an account suspended fully
            // before would announce them in the same moment as the anonymous voice, and tie the two together.
            if decision.action == .suspend, !quiet, let accountID {
                result.hiddenWithAccount = try await Self.publicVoicesGoingWith(accountID: accountID, db)
            }
            return result
        }
    }

    /// The change each action makes, checked against the state it starts from. Returns whether it was a quiet
    /// suspension (through an anonymous voice).
    private static func apply(_ action: ModerationActionKind, voiceID: Int64?, accountID: Int64?, hasReport: Bool, _ db: any SQLDatabase) async throws
        -> Bool
    {
        switch action {
        case .dismiss:
            guard hasReport else { throw Refusal(.unprocessable, "Only a report can be dismissed.") }
        case .hide:
            guard let voiceID else { throw Refusal(.unprocessable, "Only a voice or reply can be hidden; to stop an account, suspend it.") }
            try await setVoiceState(voiceID, from: [.visible, .held], to: .hidden, db)
        case .approve, .reject:
            guard let voiceID else { throw Refusal(.unprocessable, "Only a reply held for review can be approved or rejected.") }
            // An approved reply whose writer the survivor has blocked since is kept for its writer alone, as a new one is.
            var shown = action == .approve
            if shown { shown = !(try await isKeptApart(db, replyID: voiceID)) }
            try await setVoiceState(voiceID, from: [.held], to: shown ? .visible : .hidden, db)
        case .restore:
            if let voiceID {
                try await setVoiceState(voiceID, from: [.hidden], to: .visible, db)
            } else if let accountID {
                try await liftSuspension(accountID, quiet: false, through: nil, db)
            }
        case .suspend:
            guard let accountID else { throw Refusal(.notFound, "This account is not here.") }
            if let voiceID { return try await suspend(accountID, through: voiceID, db) }
            try await setSuspended(accountID, db)
        }
        return false
    }

    /// Moves a voice between states, keeping its parent's reply count right.
    static func setVoiceState(_ voiceID: Int64, from allowed: Set<VoiceState>, to state: VoiceState, _ db: any SQLDatabase) async throws {
        // Locked: its writer may be deleting it at this moment.
        guard
            let row = try await db.raw(
                "SELECT account_id, state, kind, in_reply_to_id FROM voices WHERE id = \(bind: voiceID)\(unsafeRaw: db.forUpdate)"
            ).first()
        else {
            throw Refusal(.gone, "This voice has been deleted by its writer.")
        }
        let current = VoiceState(rawValue: try row.string("state")) ?? .hidden
        guard allowed.contains(current) else {
            let already =
                switch current {
                case .visible: "shown"
                case .held: "held for review"
                case .hidden: "hidden"
                }
            throw Refusal(.conflict, "This voice is \(already) already; nothing was changed. Reload the queue to see it as it is now.")
        }
        try await db.raw("UPDATE voices SET state = \(bind: state.rawValue) WHERE id = \(bind: voiceID)").run()
        if try row.string("kind") == VoiceKind.reply.rawValue, let parent = try row.optionalInt64("in_reply_to_id"),
            (current == .visible) != (state == .visible)
        {
            try await db.raw("UPDATE voices SET reply_count = reply_count + \(bind: Int64(state == .visible ? 1 : -1)) WHERE id = \(bind: parent)")
                .run()
        }
        if (current == .visible) != (state == .visible) { try await recountShownVoices(of: try row.int64("account_id"), db) }
    }

    /// Suspends the author of a voice; returns whether it was quiet. Through an anonymous voice (or the author's reply in
    /// their anonymous thread) the suspension is quiet: the account can't act and that voice is hidden, but the
    /// account's public self and its other voices look unchanged (hiding them all at once would tell that one person
    /// wrote them), and an account that is suspended already answers like any other, so that neither the public nor
    /// the moderator can tie the anonymous voice to its author. Through a public voice it is a full suspension. A voice
    /// deleted meanwhile can't tell which it would be, so nothing is done through it.
    private static func suspend(_ accountID: Int64, through voiceID: Int64, _ db: any SQLDatabase) async throws -> Bool {
        guard
            let voice = try await db.raw(
                """
                SELECT v.state, CASE WHEN \(unsafeRaw: isAnonymousAuthor(account: "v.account_id", ofVoice: "v.id")) THEN 1 ELSE 0 END AS quietly
                FROM voices v WHERE v.id = \(bind: voiceID)
                """
            ).first()
        else { throw Refusal(.gone, "This voice has been deleted by its writer, so nothing can be done through it any more.") }
        guard try voice.bool("quietly") else {
            try await setSuspended(accountID, db)
            return false
        }
        let now = ChorusDatabase.now()
        try await db.raw(
            """
            UPDATE accounts SET suspended_at = COALESCE(suspended_at, \(bind: now)), quietly_suspended_at = COALESCE(quietly_suspended_at, \(bind: now)),
                suspended_quietly = CASE WHEN suspended_at IS NULL THEN 1 ELSE suspended_quietly END
            WHERE id = \(bind: accountID) AND deleted_at IS NULL
            """
        ).run()
        // An author who has deleted their account (their anonymous voices may wait to be erased) has nothing left to
        // suspend; the voice is hidden all the same. Refused, it told the moderator that its author had just left.
        if try voice.string("state") != VoiceState.hidden.rawValue { try await setVoiceState(voiceID, from: [.visible, .held], to: .hidden, db) }
        return true
    }

    /// A full suspension: the account can't act, and it and its public voices are hidden. (Its anonymous voices stay
    /// as they are: see `authorShown`.) An earlier quiet suspension is kept apart, to hold again once this one is lifted.
    private static func setSuspended(_ accountID: Int64, _ db: any SQLDatabase) async throws {
        let updated = try await db.raw(
            """
            UPDATE accounts SET suspended_at = \(bind: ChorusDatabase.now()), suspended_quietly = 0
            WHERE id = \(bind: accountID) AND deleted_at IS NULL AND (suspended_at IS NULL OR suspended_quietly = 1) RETURNING id
            """
        ).all()
        if updated.isEmpty { try await refuseSuspensionChange(accountID, suspending: true, db) }
    }

    /// Lifts a full suspension, or a quiet one (and shows again the anonymous voice it hid). Each leaves the other in
    /// effect: lifting a named account's suspension never shows an anonymous voice, nor lets its author act again.
    static func liftSuspension(_ accountID: Int64, quiet: Bool, through voiceID: Int64?, _ db: any SQLDatabase) async throws {
        let updated: [any SQLRow]
        if quiet {
            updated = try await db.raw(
                """
                UPDATE accounts SET quietly_suspended_at = NULL, suspended_at = CASE WHEN suspended_quietly = 1 THEN NULL ELSE suspended_at END,
                    suspended_quietly = 0
                WHERE id = \(bind: accountID) AND deleted_at IS NULL AND quietly_suspended_at IS NOT NULL RETURNING id
                """
            ).all()
        } else {
            updated = try await db.raw(
                """
                UPDATE accounts SET suspended_at = CASE WHEN quietly_suspended_at IS NULL THEN NULL ELSE quietly_suspended_at END,
                    suspended_quietly = CASE WHEN quietly_suspended_at IS NULL THEN 0 ELSE 1 END
                WHERE id = \(bind: accountID) AND deleted_at IS NULL AND suspended_at IS NOT NULL AND suspended_quietly = 0 RETURNING id
                """
            ).all()
        }
        guard !updated.isEmpty else { return try await refuseSuspensionChange(accountID, suspending: false, db) }
        if quiet, let voiceID, try await db.raw("SELECT 1 AS one FROM voices WHERE id = \(bind: voiceID) AND state = 'hidden'").first() != nil {
            try await setVoiceState(voiceID, from: [.hidden], to: .visible, db)
        }
    }

    private static func refuseSuspensionChange(_ accountID: Int64, suspending: Bool, _ db: any SQLDatabase) async throws {
        let deleted = try await db.raw("SELECT 1 AS one FROM accounts WHERE id = \(bind: accountID) AND deleted_at IS NULL").first() == nil
        if deleted { throw Refusal(.gone, "This account was deleted by its owner, so there is nothing left to suspend or restore.") }
        throw Refusal(.conflict, suspending ? "This account is suspended already." : "This account is not suspended.")
    }

    /// Of these hidden voices, those a moderator's decision hid (hidden, rejected, or the voice a quiet suspension was
    /// made through), as opposed to replies kept apart by a block.
    public func voicesHiddenByModerators(ids: [Int64]) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            var query: SQLQueryString =
                "SELECT DISTINCT voice_id FROM moderation_actions WHERE action IN ('hide', 'reject', 'suspend') AND voice_id IN ("
            for (index, id) in ids.enumerated() {
                if index > 0 { query.appendInterpolation(unsafeRaw: ", ") }
                query.appendInterpolation(bind: id)
            }
            query.appendInterpolation(unsafeRaw: ")")
            return Set(try await db.raw(query).all().map { try $0.int64("voice_id") })
        }
    }

    /// Actions taken on what a person wrote, or on their account, newest first: what, under which rule, why, and any appeal.
    public func actions(concerning accountID: Int64) async throws -> [ActionOnYou] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT m.id, m.action, m.rule_number, u.text AS rule_text, m.reason, m.created_at, m.voice_id, v.text AS voice_text,
                       m.appeal_state, m.appeal_text, m.appeal_reason, v.state AS voice_state,
                       CASE WHEN \(unsafeRaw: Self.suspensionHolds(quiet: "m.quiet")) THEN 1 ELSE 0 END AS suspension_holds
                FROM moderation_actions m JOIN rules u ON u.number = m.rule_number LEFT JOIN voices v ON v.id = m.voice_id
                    JOIN accounts a ON a.id = m.account_id
                WHERE m.account_id = \(bind: accountID) AND m.action IN ('hide', 'suspend', 'reject') ORDER BY m.id DESC LIMIT 200
                """
            ).all().map { row in
                var action = ActionOnYou(
                    id: try row.int64("id"), action: ModerationActionKind(rawValue: try row.string("action")) ?? .hide,
                    rule: Rule(number: try row.int("rule_number"), text: try row.string("rule_text")), reason: try row.string("reason"),
                    createdAt: try row.int64("created_at"), voiceID: try row.optionalInt64("voice_id"),
                    voiceText: try row.optionalString("voice_text"),
                    appealState: try row.optionalString("appeal_state").flatMap(AppealState.init(rawValue:)),
                    appealText: try row.optionalString("appeal_text"), appealReason: try row.optionalString("appeal_reason")
                )
                // A suspension is lifted, or the voice shown again: the page says so and offers no appeal.
                switch action.action {
                case .suspend: action.inEffect = try row.bool("suspension_holds")
                default: action.inEffect = try row.optionalString("voice_state") != VoiceState.visible.rawValue
                }
                return action
            }
        }
    }

    /// Whether the suspension an action made (`quiet`: 1 through an anonymous voice, 0 full) still holds, on the account
    /// aliased `a`. Each kind follows only itself: a lifted full suspension that looked in effect because a quiet one
    /// still held would tie the named account to the anonymous voice.
    static func suspensionHolds(quiet: String) -> String {
        "((\(quiet) = 1 AND a.quietly_suspended_at IS NOT NULL) OR (\(quiet) = 0 AND a.suspended_at IS NOT NULL AND a.suspended_quietly = 0))"
    }

    /// The person has read the actions taken on what they wrote.
    public func markActionsSeen(accountID: Int64) async throws {
        try await database.write { db in
            try await db.raw(
                "UPDATE moderation_actions SET subject_seen_at = \(bind: ChorusDatabase.now()) WHERE account_id = \(bind: accountID) AND subject_seen_at IS NULL"
            ).run()
        }
    }

    public static let appealLimit = 2_000

    /// Appeals an action, once, as the person it concerns.
    public func appeal(actionID: Int64, text: String, by accountID: Int64) async throws {
        let text = text.trimmingWhitespace
        guard !text.isEmpty else {
            throw InputError("Tell the moderators, in a few words, what you would like them to look at again.", field: "text")
        }
        guard text.count <= Self.appealLimit else { throw InputError("An appeal can be up to \(Self.appealLimit) characters.", field: "text") }
        try await database.write { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT action, appeal_state FROM moderation_actions WHERE id = \(bind: actionID) AND account_id = \(bind: accountID)\(unsafeRaw: db.forUpdate)
                    """
                ).first(),
                ModerationActionKind(rawValue: try row.string("action"))?.isAppealable == true
            else { throw Refusal(.notFound, "There is no decision here that you can appeal.") }
            guard try row.optionalString("appeal_state") == nil else {
                throw Refusal(.conflict, "You have appealed this decision already. Each decision can be appealed once.")
            }
            try await db.raw(
                """
                UPDATE moderation_actions SET appeal_text = \(bind: text), appeal_state = 'open', appealed_at = \(bind: ChorusDatabase.now())
                WHERE id = \(bind: actionID)
                """
            ).run()
        }
    }

    /// Decides an open appeal with a reason. Granting it reverses the action; the person is told either way.
    public func decideAppeal(actionID: Int64, grant: Bool, reason: String, by moderatorID: Int64) async throws {
        let reason = reason.trimmingWhitespace
        guard !reason.isEmpty else {
            throw InputError("Write a short reason. The person who appealed will read it, so keep it calm and clear.", field: "reason")
        }
        guard reason.count <= ModerationDecision.reasonLimit else {
            throw InputError("A reason can be up to \(ModerationDecision.reasonLimit) characters.", field: "reason")
        }
        let now = ChorusDatabase.now()
        try await database.write { db in
            try await db.takeTurn(.moderation)
            try await Self.requireModerator(db, moderatorID)
            guard
                let row = try await db.raw(
                    "SELECT action, voice_id, account_id, appeal_state, quiet FROM moderation_actions WHERE id = \(bind: actionID)"
                ).first(),
                try row.optionalString("appeal_state") != nil
            else { throw Refusal(.notFound, "This appeal is not in the queue.") }
            guard try row.optionalString("appeal_state") == AppealState.open.rawValue else {
                throw Refusal(.conflict, "This appeal has already been decided.")
            }
            if try row.optionalInt64("account_id") == moderatorID {
                throw Refusal(.forbidden, "This is about you or something you wrote, so another moderator decides it.")
            }
            if grant {
                // Undo what is still in effect; a moderator may have restored it already.
                switch ModerationActionKind(rawValue: try row.string("action")) {
                case .hide, .reject:
                    // A reply whose writer the survivor has blocked since stays kept apart (see `isKeptApart`).
                    if let voiceID = try row.optionalInt64("voice_id"),
                        try await db.raw("SELECT 1 AS one FROM voices WHERE id = \(bind: voiceID) AND state = 'hidden'").first() != nil,
                        !(try await Self.isKeptApart(db, replyID: voiceID))
                    {
                        try await Self.setVoiceState(voiceID, from: [.hidden], to: .visible, db)
                    }
                case .suspend:
                    let quiet = try row.bool("quiet")
                    if let accountID = try row.optionalInt64("account_id"),
                        try await db.raw(
                            "SELECT 1 AS one FROM accounts a WHERE a.id = \(bind: accountID) AND \(unsafeRaw: Self.suspensionHolds(quiet: quiet ? "1" : "0"))"
                        ).first() != nil
                    {
                        try await Self.liftSuspension(accountID, quiet: quiet, through: try row.optionalInt64("voice_id"), db)
                    }
                default: break
                }
            }
            try await db.raw(
                """
                UPDATE moderation_actions SET appeal_state = \(bind: grant ? AppealState.granted.rawValue : AppealState.denied.rawValue),
                    appeal_reason = \(bind: reason), appeal_decided_by = \(bind: moderatorID), appeal_decided_at = \(bind: now),
                    appeal_month = \(bind: ModerationMonth.of(milliseconds: now)), subject_seen_at = NULL
                WHERE id = \(bind: actionID)
                """
            ).run()
        }
    }
}
