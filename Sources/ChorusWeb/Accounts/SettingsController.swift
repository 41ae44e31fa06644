import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// A person's own settings: name, language, who may reply by default, password, recovery codes, export and deletion.
struct SettingsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/account") { request, context in try await settingsPage(request, context) }
        router.post("/account/settings", use: saveSettings)
        router.post("/account/password", use: changePassword)
        router.post("/account/recovery-codes", use: newRecoveryCodes)
        router.get("/account/export", use: export)
        router.post("/account/exports", use: requestArchive)
        router.get("/account/exports/{id}", use: downloadArchive)
        router.post("/account/delete", use: deleteAccount)
        router.post("/account/apps/{id}/disconnect", use: disconnectApp)
    }

    /// What the settings form was sent with, shown again after an error instead of what is saved.
    struct Typed {
        var displayName: String?
        var language: String?
        var country: String?
        var policy: String?
    }

    func settingsPage(
        _ request: Request, _ context: ChorusContext, notice: String? = nil, error: String? = nil, typed: Typed? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let account = try context.requireAccount(request)
        let words = pages.words(context, request)
        let policy = typed?.policy.flatMap(ReplyPolicy.init(rawValue:)) ?? account.defaultReplyPolicy
        let policies = ReplyPolicy.allCases.map { each in
            ["value": each.rawValue, "label": words["policy_\(each.rawValue)"], "selected": each == policy] as [String: Any]
        }
        let language = typed?.language ?? account.language
        let languages = pages.localization.codes.map { code in
            ["value": code, "label": words["language_\(code)"], "selected": code == language] as [String: Any]
        }
        let country = typed?.country.map { $0.isEmpty ? nil : $0.uppercased() } ?? account.country
        var values: [String: Any] = [
            "display_name": typed?.displayName ?? account.displayName, "policies": policies, "languages": languages,
            "countries": HelpSettings.countryOptions(pages.help?.current ?? .bundled, selected: country, words: words),
            "codes_left": try await store.remainingRecoveryCodes(accountID: account.id),
        ]
        let apps = try await store.connectedApps(accountID: account.id)
        values["has_apps"] = !apps.isEmpty
        values["apps"] = apps.map { app -> [String: Any] in
            [
                "id": String(app.id), "name": app.name, "access": app.scopes,
                "since": words.format("settings_apps_since", ["date": VoiceView.dateText(app.connectedAt)]),
            ]
        }
        values["archives"] = try await store.exportArchives(accountID: account.id).map { archive -> [String: Any] in
            var entry: [String: Any] = ["preparing": archive.state == .preparing]
            if archive.state == .ready, let expiresAt = archive.expiresAt {
                entry["link"] = "/account/exports/\(archive.id)"
                entry["until"] = words.format("archive_until", ["date": VoiceView.dateText(expiresAt)])
            }
            return entry
        }
        // After saving (`?saved=1`), it says so.
        if let notice = notice ?? (request.uri.queryParameters["saved"] != nil ? words["settings_saved"] : nil) { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.render("settings", values, request: request, context: context, status: status)
    }

    /// Cuts one app off the account: its token stops working at once, and the others go on.
    @Sendable func disconnectApp(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        guard let id = context.parameters.get("id", as: Int64.self), try await store.disconnectApp(id: id, accountID: account.id) else {
            throw Refusal(.notFound, pages.words(context, request)["settings_apps_gone"])
        }
        return try await settingsPage(request, context, notice: pages.words(context, request)["settings_apps_disconnected"])
    }

    @Sendable func saveSettings(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let form = context.submitted
        do {
            let name = try form.value("display_name").map { raw throws(InputError) in try DisplayName.validated(raw) }
            let language = try form.value("language")
            if let language, !language.isEmpty, !pages.localization.codes.contains(language) {
                throw InputError("Choose one of the languages in the list.", field: "language")
            }
            let country = try HelpSettings.country(
                try form.value("country"), in: pages.help?.current ?? .bundled, words: pages.words(context, request))
            try await store.updateSettings(
                accountID: account.id, displayName: name, country: country, language: language,
                defaultReplyPolicy: try ReplyPolicy.parse(try form.value("default_reply_policy"))
            )
            return redirect(to: "/account?saved=1")
        } catch let error as InputError {
            let typed = Typed(
                displayName: try form.value("display_name"), language: try form.value("language"), country: try form.value("country"),
                policy: try form.value("default_reply_policy"))
            return try await settingsPage(request, context, error: error.message, typed: typed, status: .unprocessableContent)
        }
    }

    @Sendable func changePassword(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let form = context.submitted
        let words = pages.words(context, request)
        let current = try form.value("current_password") ?? ""
        guard try await services.verifyPassword(current, hash: try await store.passwordHash(accountID: account.id) ?? "") else {
            return try await settingsPage(request, context, error: words["password_wrong"], status: .unauthorized)
        }
        do {
            let new = try form.value("new_password") ?? ""
            try PasswordRules.check(new)
            try await store.setPassword(
                accountID: account.id, passwordHash: try await services.hashPassword(new), keepingSession: context.sessionToken)
            return try await settingsPage(request, context, notice: words["password_changed"])
        } catch let error as InputError {
            return try await settingsPage(request, context, error: error.message, status: .unprocessableContent)
        }
    }

    @Sendable func newRecoveryCodes(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        let codes = RecoveryCodes.generate()
        try await store.replaceRecoveryCodes(accountID: account.id, codes: codes)
        return pages.render("recovery_codes", ["codes": codes, "handle": account.handle], request: request, context: context)
    }

    /// The signed-in person, suspended or not: a suspension never takes away a person's own data (they may still
    /// download it, and delete their account).
    func owner(_ request: Request, _ context: ChorusContext) throws -> Account {
        if let suspended = context.suspendedAccount { return suspended }
        return try context.requireAccount(request)
    }

    @Sendable func export(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try owner(request, context)
        let data = try await store.exportData(accountID: account.id).encoded()
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"chorus-\(account.handle).json\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    /// Archives one person may ask for: enough to try again, not enough to keep the workers busy for nothing.
    static let archiveLimit = Limit(
        name: "archive", count: 5, window: 60 * 60_000,
        message: "You have asked for several archives in the last hour. The last one is on this page; you can ask again in a little while."
    )

    /// "Prepare my archive": a job builds it; the settings page shows it being prepared, then a download link.
    @Sendable func requestArchive(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        try await store.count(Self.archiveLimit, key: String(account.id))
        try await store.requestExport(accountID: account.id)
        return try await settingsPage(request, context, notice: pages.words(context, request)["archive_preparing_notice"], status: .accepted)
    }

    @Sendable func downloadArchive(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try context.requireAccount(request)
        guard let id = context.parameters.get("id", as: Int64.self), let file = try await store.exportArchiveFile(id: id, accountID: account.id)
        else {
            throw Refusal(.notFound, pages.words(context, request)["archive_gone"])
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"chorus-\(account.handle)-archive.json\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: file))
        )
    }

    @Sendable func deleteAccount(_ request: Request, context: ChorusContext) async throws -> Response {
        let account = try owner(request, context)
        let form = context.submitted
        let words = pages.words(context, request)
        // A suspended person's form is on the page of the decisions about them, the one page they can open.
        func refused(_ error: String, _ status: HTTPResponse.Status) async throws -> Response {
            guard context.suspendedAccount == nil else {
                return pages.message(words["error_title"], error, request: request, context: context, status: status, back: "/account/moderation")
            }
            return try await settingsPage(request, context, error: error, status: status)
        }
        guard try await services.verifyPassword(try form.value("password") ?? "", hash: try await store.passwordHash(accountID: account.id) ?? "")
        else {
            return try await refused(words["password_wrong"], .unauthorized)
        }
        guard let choice = VoicesOnDeletion(rawValue: try form.value("voices") ?? "") else {
            return try await refused(words["delete_choose"], .unprocessableContent)
        }
        // Apps' streams are told the erased public voices are gone, as for one deleted voice (kept ones stay, as
        // someone's).
        let gone = choice != .keepAnonymously ? try await store.publicVoicesGoingWith(accountID: account.id) : []
        try await store.deleteAccount(id: account.id, voices: choice)
        for voiceID in gone { services.live.publish(LiveEvent(kind: .deleted, voiceID: voiceID, isListed: true, accountID: account.id)) }
        services.live.publish(LiveEvent(kind: .magnitude))
        var signedOut = context
        signedOut.account = nil
        signedOut.suspendedAccount = nil
        var response = pages.message(words["deleted_title"], words["deleted_text"], request: request, context: signedOut, status: .ok)
        response.setCookie(AccountsController.sessionCookie("", secure: services.config.secureCookies, maxAge: 0))
        return response
    }
}
