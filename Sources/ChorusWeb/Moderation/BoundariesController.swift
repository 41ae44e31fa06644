import ChorusCore
import ChorusStore
import Hummingbird

/// Blocks and mutes: on profiles, on voices and replies (for an anonymous one, "this voice's author", never named), and
/// managed on `/account/blocks`.
struct BoundariesController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/account/blocks") { request, context in try await page(request, context) }
        router.post("/account/blocks/remove", use: remove)
        for verb in ["block", "unblock", "mute", "unmute"] {
            router.post("/@{handle}/\(verb)") { request, context in try await onProfile(request, context, verb) }
        }
        router.post("/voices/{id}/block-author") { request, context in try await onVoice(request, context, block: true) }
        router.post("/voices/{id}/mute-author") { request, context in try await onVoice(request, context, block: false) }
    }

    func page(_ request: Request, _ context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let words = pages.words(context, request)
        func entries(_ list: [BoundaryEntry], kind: String) -> [[String: Any]] {
            list.map { entry in
                var values: [String: Any] = ["kind": kind, "since": VoiceView.dateText(entry.createdAt)]
                if let handle = entry.handle {
                    values["handle"] = handle
                } else if let voice = entry.viaVoiceID {
                    values["voice"] = String(voice)
                    values["anonymous_label"] = words["mod_anonymous_author"]
                }
                return values
            }
        }
        var values: [String: Any] = [
            "blocks": entries(try await store.blocks(by: account.id), kind: "block"),
            "mutes": entries(try await store.mutes(by: account.id), kind: "mute"),
        ]
        if let done = request.uri.queryParameters["done"], ["block", "mute", "unblock", "unmute", "voice_block", "voice_mute"].contains(String(done))
        {
            values["notice"] = words["mod_done_\(done)"]
        }
        return pages.render("moderation_blocks", values, request: request, context: context)
    }

    func onProfile(_ request: Request, _ context: ChorusContext, _ verb: String) async throws -> Response {
        let viewer = try context.requireAccount(request)
        guard let handle = context.parameters.get("handle"), let account = try await store.account(handle: handle) else {
            throw Refusal(.notFound, "There is no account with this handle here.")
        }
        switch verb {
        case "block": try await store.block(accountID: account.id, by: viewer.id)
        case "unblock": try await store.unblock(accountID: account.id, by: viewer.id)
        case "mute": try await store.mute(accountID: account.id, by: viewer.id)
        default: try await store.unmute(accountID: account.id, by: viewer.id)
        }
        return redirect(to: verb.hasPrefix("un") ? "/@\(account.handle)" : "/account/blocks?done=\(verb)")
    }

    func onVoice(_ request: Request, _ context: ChorusContext, block: Bool) async throws -> Response {
        let viewer = try context.requireAccount(request)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Refusal.voiceNotFound() }
        if block {
            try await store.blockAuthor(ofVoice: id, by: viewer.id)
        } else {
            try await store.muteAuthor(ofVoice: id, by: viewer.id)
        }
        // Made from an anonymous voice, it hides that voice alone (see `BlockStore`): the notice says so.
        return redirect(to: "/account/blocks?done=voice_\(block ? "block" : "mute")")
    }

    @Sendable func remove(_ request: Request, context: ChorusContext) async throws -> Response {
        let viewer = try context.requireAccount(request)
        let form = context.submitted
        let isBlock = try form.value("kind") == "block"
        if let raw = try form.value("voice"), let voiceID = Int64(raw) {
            if isBlock {
                try await store.unblockAuthor(ofVoice: voiceID, by: viewer.id)
            } else {
                try await store.unmuteAuthor(ofVoice: voiceID, by: viewer.id)
            }
        } else if let handle = try form.value("handle"), let account = try await store.account(handle: handle) {
            if isBlock {
                try await store.unblock(accountID: account.id, by: viewer.id)
            } else {
                try await store.unmute(accountID: account.id, by: viewer.id)
            }
        } else {
            throw InputError("Choose a block or mute to remove from the list.")
        }
        return redirect(to: "/account/blocks?done=\(isBlock ? "unblock" : "unmute")")
    }
}
