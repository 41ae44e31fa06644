/// What a report is about, as the person who reports chooses it.
public enum ReportCategory: String, CaseIterable, Codable, Sendable {
    case harassment
    case blaming
    case spam
    case impersonation
    case threat
    case other

    public static func parse(_ raw: String?) throws(InputError) -> ReportCategory {
        guard let raw, let category = ReportCategory(rawValue: raw) else {
            throw InputError("Choose what this is about: harassment, blaming, spam, impersonation, a threat, or something else.", field: "category")
        }
        return category
    }
}

/// What a report is about: a voice, a reply, or an account.
public enum ReportTarget: String, Codable, Sendable {
    case voice
    case reply
    case account
}

/// Where a report stands.
public enum ReportState: String, Codable, Sendable {
    case open
    /// A moderator acted on it (or decided no action was needed: `dismiss`).
    case resolved
}

/// What a moderator did. Each names a rule of the instance and a reason.
public enum ModerationActionKind: String, CaseIterable, Codable, Sendable {
    /// A voice or reply is hidden from everyone but its writer.
    case hide
    /// A hidden voice is shown again, or a suspended account may sign in again.
    case restore
    /// An account (or the author of an anonymous voice, who stays unnamed) can no longer sign in to post.
    case suspend
    /// A report needed no action.
    case dismiss
    /// A reply held by the reply guard is shown.
    case approve
    /// A reply held by the reply guard stays hidden.
    case reject

    public static func parse(_ raw: String?) throws(InputError) -> ModerationActionKind {
        guard let raw, let kind = ModerationActionKind(rawValue: raw) else {
            throw InputError("Choose an action: hide, restore, suspend, dismiss, approve or reject.", field: "action")
        }
        return kind
    }

    /// Whether the person acted on may appeal it: the actions that take something away from them.
    public var isAppealable: Bool { self == .hide || self == .suspend || self == .reject }
}

/// Where an appeal stands.
public enum AppealState: String, Codable, Sendable {
    case open
    /// A moderator reversed the action.
    case granted
    /// A moderator kept the action.
    case denied
    /// The person deleted their account while it was open.
    case withdrawn
}

/// One numbered rule of the instance.
public struct Rule: Codable, Sendable, Equatable {
    public var number: Int
    public var text: String

    public init(number: Int, text: String) {
        self.number = number
        self.text = text
    }

    public static let textLimit = 500
}

/// A moderator's decision: the action, the rule it rests on and the reason, checked before anything is stored.
public struct ModerationDecision: Sendable, Equatable {
    public static let reasonLimit = 2_000
    public var action: ModerationActionKind
    public var ruleNumber: Int
    public var reason: String

    /// Every decision names a rule and gives a reason, in words the person acted on can read.
    public init(action: ModerationActionKind, rule: String?, reason: String?) throws(InputError) {
        guard let rule, let number = Int(rule.trimmingWhitespace), number > 0 else {
            throw InputError("Choose the rule this decision rests on, from the instance's rules.", field: "rule")
        }
        let reason = (reason ?? "").trimmingWhitespace
        guard !reason.isEmpty else {
            throw InputError("Write a short reason. The person it concerns will read it, so keep it calm and clear.", field: "reason")
        }
        guard reason.count <= Self.reasonLimit else {
            throw InputError("A reason can be up to \(Self.reasonLimit) characters.", field: "reason")
        }
        self.action = action
        self.ruleNumber = number
        self.reason = reason
    }
}

/// The calendar month (UTC) of a timestamp, as the transparency page groups it: "2026-11".
public enum ModerationMonth {
    public static func of(milliseconds: Int64) -> String { String(Timestamp.day(milliseconds: milliseconds).prefix(7)) }
}
