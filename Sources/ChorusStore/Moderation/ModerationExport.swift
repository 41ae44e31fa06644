import ChorusCore
import SQLKit

/// A person's moderation data, in their export: their blocks, mutes and reports, and the decisions about their voices.
public struct ModerationExport: Codable, Sendable {
    public struct Boundary: Codable, Sendable {
        /// The account's handle, or nil for one made from an anonymous voice (its author is never named).
        public let handle: String?
        public let viaVoiceID: String?
        public let createdAt: Int64
    }
    public struct Report: Codable, Sendable {
        public let target: String
        public let voiceID: String?
        public let category: String
        public let note: String
        public let state: String
        public let createdAt: Int64
    }
    public struct Decision: Codable, Sendable {
        public let action: String
        public let rule: Int
        public let reason: String
        public let voiceID: String?
        public let createdAt: Int64
        public let appealState: String?
        public let appealText: String?
        public let appealReason: String?
    }
    public let blocks: [Boundary]
    public let mutes: [Boundary]
    public let reports: [Report]
    public let decisions: [Decision]
}

extension ChorusStore {
    public func moderationExport(accountID: Int64) async throws -> ModerationExport {
        let blocks = try await blocks(by: accountID).map(Self.exported)
        let mutes = try await mutes(by: accountID).map(Self.exported)
        let reports = try await reports(by: accountID).map {
            ModerationExport.Report(
                target: $0.target.rawValue, voiceID: $0.voiceID.map(String.init), category: $0.category.rawValue, note: $0.note,
                state: $0.state.rawValue, createdAt: $0.createdAt)
        }
        let decisions = try await actions(concerning: accountID).map {
            ModerationExport.Decision(
                action: $0.action.rawValue, rule: $0.rule.number, reason: $0.reason, voiceID: $0.voiceID.map(String.init), createdAt: $0.createdAt,
                appealState: $0.appealState?.rawValue, appealText: $0.appealText, appealReason: $0.appealReason)
        }
        return ModerationExport(blocks: blocks, mutes: mutes, reports: reports, decisions: decisions)
    }

    private static func exported(_ entry: BoundaryEntry) -> ModerationExport.Boundary {
        ModerationExport.Boundary(handle: entry.handle, viaVoiceID: entry.viaVoiceID.map(String.init), createdAt: entry.createdAt)
    }
}
