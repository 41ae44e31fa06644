import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// Blocks, mutes and reports from Mastodon apps: the same as on the website. A block or mute made from an anonymous
/// voice is never listed as an account (its author is never named); reporting an anonymous voice reports the voice.
struct MastodonBoundariesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var entities: MastodonEntities { MastodonEntities(services: services) }

    func addRoutes(to router: Router<ChorusContext>) {
        for verb in ["block", "unblock", "mute", "unmute"] {
            router.post("/api/v1/accounts/{id}/\(verb)") { _, context in
                let viewer = try context.requireUser(verb.hasSuffix("block") ? "write:blocks" : "write:mutes")
                let account = try await MastodonAccountsController(services: services).target(context)
                switch verb {
                case "block": try await store.block(accountID: account.id, by: viewer.id)
                case "unblock": try await store.unblock(accountID: account.id, by: viewer.id)
                case "mute": try await store.mute(accountID: account.id, by: viewer.id)
                default: try await store.unmute(accountID: account.id, by: viewer.id)
                }
                return APIResponse.json(try await entities.relationship(account.id, viewer: viewer.id))
            }
        }
        router.get("/api/v1/blocks") { _, context in
            let viewer = try context.requireUser("read:blocks")
            return APIResponse.json(.array(try await accounts(try await store.blocks(by: viewer.id))))
        }
        router.get("/api/v1/mutes") { _, context in
            let viewer = try context.requireUser("read:mutes")
            return APIResponse.json(.array(try await accounts(try await store.mutes(by: viewer.id))))
        }
        router.post("/api/v1/reports") { request, context in try await report(request, context) }
    }

    /// The accounts blocked or muted on their profiles (one made from an anonymous voice names nobody).
    func accounts(_ entries: [BoundaryEntry]) async throws -> [JSON] {
        var found: [Account] = []
        for handle in entries.compactMap(\.handle) {
            if let account = try await store.account(handle: handle) { found.append(account) }
        }
        return try await entities.accounts(found)
    }

    /// Mastodon's four categories, as Chorus's; Chorus's own names are taken too.
    static func category(_ raw: String?) throws -> ReportCategory {
        switch raw ?? "other" {
        case "spam": return .spam
        case "violation", "legal", "other", "": return .other
        case let name: return try ReportCategory.parse(name)
        }
    }

    func report(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let viewer = try context.requireUser("write:reports")
        let params = try await APIParams.read(request, context: context)
        let category = try Self.category(try params.string("category"))
        let note = try params.string("comment") ?? ""
        let statusIDs = try params.strings("status_ids").map { raw -> Int64 in
            guard let id = Int64(raw) else { throw InputError("“\(raw)” is not a status id.", field: "status_ids") }
            return id
        }
        // A report on statuses reports each of them (an anonymous one's author is "someone", whose id is no account's);
        // without statuses it reports the account.
        var subjects: [ReportSubject] = statusIDs.prefix(20).map { .voice($0) }
        var target: Int64?
        if subjects.isEmpty {
            guard let id = try params.id("account_id") else {
                throw InputError("Say which account or statuses this report is about (account_id, status_ids).", field: "account_id")
            }
            subjects = [.account(id)]
            target = id
        }
        var ids: [Int64] = []
        for subject in subjects { ids.append(try await store.report(subject, category: category, note: note, by: viewer.id)) }
        var targetAccount: JSON = entities.someone
        if let target, let json = try await entities.account(id: target) { targetAccount = json }
        return APIResponse.json([
            "id": .id(ids.first), "action_taken": false, "action_taken_at": nil, "category": .string(try params.string("category") ?? "other"),
            "comment": .string(note), "forwarded": false, "created_at": .string(Timestamp.iso8601(milliseconds: ChorusDatabase.now())),
            "status_ids": .array(statusIDs.map { .string(String($0)) }), "rule_ids": [], "target_account": targetAccount,
        ])
    }
}
