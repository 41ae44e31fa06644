import ChorusCore
import ChorusStore
import Foundation

/// Turns voices, accounts and notifications into Mastodon's entities, with every field Mastodon documents as required.
/// An anonymous voice is always served with the `someone` account, and nothing in any entity points at its author.
struct MastodonEntities: Sendable {
    let services: ChorusServices
    /// The country whose help a writer's own voice in crisis links to (their setting), when they gave one.
    var helpCountry: String? = nil
    var store: ChorusStore { services.store }
    var baseURL: String { services.config.baseURL }

    static func iso(_ milliseconds: Int64) -> String { Timestamp.iso8601(milliseconds: milliseconds) }

    /// The day only (Mastodon gives accounts' `created_at` at midnight, and `last_status_at` as a date).
    static func day(_ milliseconds: Int64) -> Int64 { milliseconds / 86_400_000 * 86_400_000 }

    static func dateOnly(_ milliseconds: Int64) -> String { Timestamp.day(milliseconds: milliseconds) }

    var avatarURL: String { baseURL + "/static/avatar.png" }
    var headerURL: String { baseURL + "/static/header.png" }

    /// The account every anonymous voice is shown with. It never identifies anyone.
    var someone: JSON {
        [
            "id": "0", "username": "someone", "acct": "someone", "display_name": "someone", "locked": false, "bot": false,
            "discoverable": false, "indexable": false, "group": false, "created_at": "2017-10-15T00:00:00.000Z",
            "note": "<p>Shared anonymously.</p>", "url": .string(baseURL + "/voices"), "uri": .string(baseURL + "/voices"),
            "avatar": .string(avatarURL), "avatar_static": .string(avatarURL), "header": .string(headerURL),
            "header_static": .string(headerURL), "followers_count": 0, "following_count": 0, "statuses_count": 0,
            "last_status_at": nil, "hide_collections": true, "noindex": true, "emojis": [], "roles": [], "fields": [],
        ]
    }

    func account(_ summary: AccountSummary) -> JSON {
        let account = summary.account
        let url = baseURL + "/@" + account.handle
        return [
            "id": .id(account.id), "username": .string(account.handle), "acct": .string(account.handle),
            "display_name": .string(account.displayName.isEmpty ? account.handle : account.displayName), "locked": false, "bot": false,
            "discoverable": true, "indexable": false, "group": false, "created_at": .string(Self.iso(Self.day(account.createdAt))),
            "note": "", "url": .string(url), "uri": .string(url), "avatar": .string(avatarURL), "avatar_static": .string(avatarURL),
            "header": .string(headerURL), "header_static": .string(headerURL), "followers_count": .int(Int64(summary.followers)),
            "following_count": .int(Int64(summary.following)), "statuses_count": .int(Int64(summary.statuses)),
            "last_status_at": .of(summary.lastStatusAt.map(Self.dateOnly)), "hide_collections": false, "noindex": true, "emojis": [],
            "roles": [], "fields": [],
        ]
    }

    /// An account as its owner sees it, with `source` and `role`.
    func credentialAccount(_ summary: AccountSummary) -> JSON {
        let account = summary.account
        let source: JSON = [
            "privacy": "public", "sensitive": false, "language": .of(account.language), "note": "", "fields": [],
            "follow_requests_count": 0,
        ]
        let role: JSON = ["id": "-99", "name": "", "color": "", "permissions": "0", "highlighted": false]
        return self.account(summary).with("source", source).with("role", role)
    }

    func account(id: Int64) async throws -> JSON? {
        try await store.accountSummaries(ids: [id])[id].map(account)
    }

    func accounts(_ list: [Account]) async throws -> [JSON] {
        let summaries = try await store.accountSummaries(ids: list.map(\.id))
        return list.compactMap { summaries[$0.id].map(account) }
    }

    func tag(_ name: String, history: [TagDay] = [], following: Bool? = nil) -> JSON {
        var tag: JSON = [
            "name": .string(name), "url": .string(baseURL + "/tags/" + APIResponse.encode(Hashtags.normalise(name))),
            "history": .array(
                history.map { ["day": .string(String($0.day)), "uses": .string(String($0.uses)), "accounts": .string(String($0.accounts))] }),
        ]
        if let following { tag = tag.with("following", .bool(following)) }
        return tag
    }

    /// Mastodon's visibility for a Chorus voice: public and anonymous voices are public; only-me voices are direct
    /// (addressed to no one else).
    static func visibility(_ visibility: Visibility) -> String {
        visibility == .onlyMe ? "direct" : "public"
    }

    /// Statuses for a list of voices, with their accounts and reply targets read in two queries.
    func statuses(_ voices: [Voice], includeText: Bool = false) async throws -> [JSON] {
        var authorIDs: [Int64] = []
        for voice in voices { if case .account(let id, _, _) = voice.author { authorIDs.append(id) } }
        let summaries = try await store.accountSummaries(ids: authorIDs)
        let parents = try await store.publicAuthors(ofVoices: voices.compactMap(\.inReplyTo))
        let moderated = try await store.voicesHiddenByModerators(ids: voices.filter { $0.isMine && $0.state == .hidden }.map(\.id))
        return voices.map { voice in
            let json = status(voice, summaries: summaries, parentAuthors: parents, includeText: includeText)
            // Its writer's app is told that a moderator hid it, and where to read why and appeal (as the website's
            // notice does). A reply kept apart by a block is hidden too, and says nothing: that would tell its writer.
            guard moderated.contains(voice.id) else { return json }
            return json.withChorus([("hidden_by_moderators", true), ("moderation_url", .string(baseURL + "/account/moderation"))])
        }
    }

    func status(_ voice: Voice, includeText: Bool = false) async throws -> JSON {
        try await statuses([voice], includeText: includeText)[0]
    }

    func status(_ voice: Voice, summaries: [Int64: AccountSummary], parentAuthors: [Int64: Int64], includeText: Bool) -> JSON {
        let url = baseURL + "/voices/" + String(voice.id)
        let accountJSON: JSON
        switch voice.author {
        case .account(let id, let handle, let name):
            accountJSON =
                summaries[id].map(account)
                ?? account(
                    AccountSummary(
                        account: Account(id: id, handle: handle, displayName: name, createdAt: 0), followers: 0, following: 0, statuses: 0,
                        lastStatusAt: nil))
        case .someone:
            accountJSON = someone
        }
        let replyAccount = voice.inReplyTo.flatMap { parentAuthors[$0] }
        var status: JSON = [
            "id": .id(voice.id), "uri": .string(url), "url": .string(url), "created_at": .string(Self.iso(voice.createdAt)),
            "edited_at": nil, "account": accountJSON, "content": .string(VoiceHTML.render(voice.text, tagBase: baseURL + "/tags/")),
            "visibility": .string(Self.visibility(voice.visibility)), "sensitive": .bool(voice.contentWarning != nil),
            "spoiler_text": .string(voice.contentWarning ?? ""), "media_attachments": [], "application": nil, "mentions": [],
            "tags": .array(uniqueTags(voice.text).map { tag($0) }), "emojis": [], "reblogs_count": 0,
            "favourites_count": .int(Int64(voice.believeCount)), "replies_count": .int(Int64(voice.replyCount)),
            "favourited": .bool(voice.readerBelieves), "reblogged": false, "muted": false, "bookmarked": false, "pinned": false,
            "reblog": nil, "poll": nil, "card": nil, "language": .of(voice.language), "in_reply_to_id": .id(voice.inReplyTo),
            "in_reply_to_account_id": .id(replyAccount), "filtered": [],
            "chorus": [
                "kind": .string(voice.kind.rawValue), "anonymous": .bool(voice.visibility == .anonymous),
                "only_me": .bool(voice.visibility == .onlyMe), "held": .bool(voice.state == .held),
                "reply_policy": .string(voice.replyPolicy.rawValue),
            ],
        ]
        if voice.isMine, voice.crisis {
            // The writer's own app can offer help at once, as the web does; nobody else is told.
            status = status.withChorus([
                ("crisis", true), ("help_url", .string(baseURL + "/help" + (helpCountry.map { "?country=" + $0 } ?? ""))),
            ])
        }
        if voice.isMine, voice.state == .held { status = heldForItsWriter(status, voice) }
        if includeText { status = status.with("text", .string(voice.text)) }
        return status
    }

    /// A held reply as its writer's app shows it: the notice as its content warning (apps show it first), what it
    /// looked like and RAINN's guidance above the words, and where to rewrite or withdraw it; an edit rewrites it.
    func heldForItsWriter(_ status: JSON, _ voice: Voice) -> JSON {
        let language = voice.language ?? "en"
        let label = voice.guardLabel.flatMap(ReplyLabel.init(rawValue:)) ?? .hostile
        let rewrite = baseURL + "/voices/\(voice.id)/rewrite"
        let guidance =
            "<p>" + VoiceHTML.escape(ReplyGuidance.explanation(for: label, language: language)) + "</p><p>"
            + VoiceHTML.escape(ReplyGuidance.rewriteInvitation(language: language)) + " <a href=\"" + VoiceHTML.escape(rewrite) + "\">"
            + VoiceHTML.escape(rewrite) + "</a></p>"
        let warning = ReplyGuidance.waitingNotice(language: language) + (voice.contentWarning.map { " · " + $0 } ?? "")
        // The words as `status` already rendered them, below the guidance.
        guard case .string(let content)? = status["content"] else { return status }
        return status.with("spoiler_text", .string(warning)).with("sensitive", true).with("content", .string(guidance + content))
            .withChorus([("guard_label", .string(label.rawValue)), ("rewrite_url", .string(rewrite))])
    }

    /// The hashtags of a text as written (first spelling of each), for `tags`.
    func uniqueTags(_ text: String) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for occurrence in Hashtags.occurrences(in: text) where seen.insert(Hashtags.normalise(occurrence.name)).inserted {
            names.append(Hashtags.normalise(occurrence.name))
        }
        return names
    }

    /// `blocked_by` is always false: nobody is told that someone blocked them.
    func relationship(_ target: Int64, viewer: Int64) async throws -> JSON {
        let following = try await store.follows(target, by: viewer)
        let followedBy = try await store.follows(viewer, by: target)
        let boundaries = try await store.boundaries(towards: target, from: viewer)
        return [
            "id": .id(target), "following": .bool(following), "showing_reblogs": .bool(following), "notifying": false, "languages": nil,
            "followed_by": .bool(followedBy), "blocking": .bool(boundaries.blocked), "blocked_by": false, "muting": .bool(boundaries.muted),
            "muting_notifications": .bool(boundaries.muted),
            "requested": false, "requested_by": false, "domain_blocking": false, "endorsed": false, "note": "",
        ]
    }

    /// Notifications as their recipient sees them. An anonymous replier is shown as `someone`.
    /// The key `/api/v2/notifications` groups by default: beliefs in one voice and follows of one day; replies stay
    /// ungrouped, as Mastodon's mentions.
    static func groupKey(_ notification: ChorusNotification) -> String {
        MastodonGroupedNotificationsController.defaultGrouped.contains(notification.kind) ? notification.groupKey : "ungrouped-\(notification.id)"
    }

    func notifications(_ list: [ChorusNotification], recipient: Int64) async throws -> [JSON] {
        let voices = try await store.voices(ids: list.compactMap(\.voiceID), viewer: recipient)
        let statuses = try await self.statuses(voices)
        var byID: [Int64: JSON] = [:]
        for (voice, json) in zip(voices, statuses) { byID[voice.id] = json }
        let summaries = try await store.accountSummaries(ids: list.compactMap { $0.from?.id })
        let warnings = try await moderationWarnings(list, recipient: recipient)
        return list.compactMap { notification -> JSON? in
            var status: JSON = nil
            if let voiceID = notification.voiceID {
                guard let found = byID[voiceID] else { return nil }
                status = found
            }
            if notification.kind == .moderationWarning {
                guard let warning = warnings[notification.id] else { return nil }
                status = warning
            }
            let from = notification.from.flatMap { summaries[$0.id] }.map(account) ?? someone
            var json: JSON = [
                "id": .id(notification.id), "type": .string(notification.kind.rawValue),
                "created_at": .string(Self.iso(notification.createdAt)), "group_key": .string(Self.groupKey(notification)),
                "account": from,
            ]
            if notification.voiceID != nil { json = json.with("status", status) }
            if notification.kind == .moderationWarning { json = json.with("moderation_warning", status) }
            return json
        }
    }

    /// Mastodon's `AccountWarning` for each `moderation_warning` in `list`, by notification id: what was decided, under
    /// which rule and why, and the appeal, with where to read it and ask again on the web.
    func moderationWarnings(_ list: [ChorusNotification], recipient: Int64) async throws -> [Int64: JSON] {
        guard list.contains(where: { $0.kind == .moderationWarning }), let target = try await account(id: recipient) else { return [:] }
        let actions = Dictionary(try await store.actions(concerning: recipient).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var warnings: [Int64: JSON] = [:]
        for notification in list {
            guard let action = notification.moderationActionID.flatMap({ actions[$0] }) else { continue }
            var appeal: JSON = nil
            if let state = action.appealState, let text = action.appealText {
                let shown = state == .open ? "pending" : state == .granted ? "approved" : "rejected"
                appeal = ["text": .string(text), "state": .string(shown)]
            }
            let statusIDs: [JSON] = action.action == .suspend ? [] : action.voiceID.map { [.id($0)] } ?? []
            warnings[notification.id] = [
                "id": .id(action.id), "action": .string(action.action == .suspend ? "suspend" : "delete_statuses"),
                "text": .string("Rule \(action.rule.number): \(action.rule.text)\n\n\(action.reason)"), "status_ids": .array(statusIDs),
                "target_account": target, "appeal": appeal, "created_at": .string(Self.iso(action.createdAt)),
                "chorus": [
                    "in_effect": .bool(action.inEffect), "can_appeal": .bool(action.canAppeal),
                    "moderation_url": .string(baseURL + "/account/moderation"),
                ],
            ]
        }
        return warnings
    }
}
