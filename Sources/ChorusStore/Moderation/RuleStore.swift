import ChorusCore
import SQLKit

/// The instance's numbered rules, and the public counts of what moderators did under each.
extension ChorusStore {
    public func rules() async throws -> [Rule] {
        try await database.read { db in try await Self.rules(db) }
    }

    static func rules(_ db: any SQLDatabase) async throws -> [Rule] {
        try await db.raw("SELECT number, text FROM rules ORDER BY number").all().map {
            Rule(number: try $0.int("number"), text: try $0.string("text"))
        }
    }

    /// Changes a rule's words, or adds the next rule when `number` is nil. Rules are never removed: past decisions name them.
    @discardableResult
    public func saveRule(number: Int?, text: String, by moderatorID: Int64) async throws -> Rule {
        let text = text.trimmingWhitespace
        guard !text.isEmpty else { throw InputError("Write the rule in a sentence.", field: "text") }
        guard text.count <= Rule.textLimit else { throw InputError("A rule can be up to \(Rule.textLimit) characters.", field: "text") }
        return try await database.write { db in
            try await Self.requireModerator(db, moderatorID)
            let now = ChorusDatabase.now()
            if let number {
                let updated = try await db.raw(
                    "UPDATE rules SET text = \(bind: text), updated_at = \(bind: now) WHERE number = \(bind: Int64(number)) RETURNING number"
                ).all()
                guard !updated.isEmpty else { throw Refusal(.notFound, "There is no rule \(number).") }
                return Rule(number: number, text: text)
            }
            let next = (try await db.raw("SELECT MAX(number) AS n FROM rules").first()?.optionalInt64("n") ?? 0) + 1
            try await db.raw("INSERT INTO rules (number, text, updated_at) VALUES (\(bind: next), \(bind: text), \(bind: now))").run()
            return Rule(number: Int(next), text: text)
        }
    }

    static func requireModerator(_ db: any SQLDatabase, _ accountID: Int64) async throws {
        let row = try await db.raw(
            "SELECT 1 AS one FROM accounts WHERE id = \(bind: accountID) AND is_moderator = 1 AND suspended_at IS NULL AND deleted_at IS NULL"
        ).first()
        guard row != nil else { throw Refusal(.forbidden, "Only moderators can do this.") }
    }

    /// How many times each action was taken under each rule, per month (UTC): counts only, nobody's handle or words.
    public func transparencyCounts() async throws -> [TransparencyCount] {
        try await database.read { db in
            let actions = try await db.raw(
                "SELECT month, action, rule_number, COUNT(*) AS n FROM moderation_actions GROUP BY month, action, rule_number"
            ).all().map {
                TransparencyCount(
                    month: try $0.string("month"), action: try $0.string("action"), rule: try $0.int("rule_number"), count: try $0.int("n"))
            }
            let appeals = try await db.raw(
                """
                SELECT appeal_month, appeal_state, rule_number, COUNT(*) AS n FROM moderation_actions
                WHERE appeal_state IN ('granted', 'denied') GROUP BY appeal_month, appeal_state, rule_number
                """
            ).all().map {
                TransparencyCount(
                    month: try $0.string("appeal_month"), action: "appeal_" + (try $0.string("appeal_state")), rule: try $0.int("rule_number"),
                    count: try $0.int("n"))
            }
            return (actions + appeals).sorted { ($1.month, $0.action, $0.rule) < ($0.month, $1.action, $1.rule) }
        }
    }
}

/// One line of the transparency page.
public struct TransparencyCount: Sendable, Equatable {
    public let month: String
    /// A `ModerationActionKind`, or `appeal_granted` / `appeal_denied`.
    public let action: String
    public let rule: Int
    public let count: Int
}
