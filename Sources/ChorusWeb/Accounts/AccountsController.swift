import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// Signing up with a handle and a password only, signing in and out, and recovering with a one-time code.
struct AccountsController {
    let services: ChorusServices
    var store: ChorusStore { services.store }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/signup") { request, context in
            pages.render("signup", [:], request: request, context: context)
        }
        router.post("/signup", use: signUp)
        router.get("/signin") { request, context in
            pages.render(
                "signin", ["next": LocalPath.from(request.uri.queryParameters["next"].map(String.init))], request: request, context: context)
        }
        router.post("/signin", use: signIn)
        router.post("/signout", use: signOut)
        router.get("/recover") { request, context in
            pages.render("recover", [:], request: request, context: context)
        }
        router.post("/recover", use: recover)
    }

    @Sendable func signUp(_ request: Request, context: ChorusContext) async throws -> Response {
        let form = context.submitted
        let typedHandle = (try? form.value("handle")) ?? ""
        do {
            let handle = try Handle(try form.value("handle") ?? "")
            let password = try form.value("password") ?? ""
            try PasswordRules.check(password)
            if let confirmation = try form.value("password_confirmation"), confirmation != password {
                throw InputError("The two passwords are not the same. Please type them again.", field: "password_confirmation")
            }
            let codes = RecoveryCodes.generate()
            let account = try await store.createAccount(handle: handle, passwordHash: try await services.hashPassword(password), recoveryCodes: codes)
            var response = pages.render(
                "recovery_codes", ["codes": codes, "new_account": true, "handle": account.handle], request: request,
                context: signedIn(context, account), status: .created
            )
            try await startSession(for: account, on: &response)
            return response
        } catch let error as InputError {
            return pages.render(
                "signup", Pages.formError(error.message, field: error.field).merging(["handle": typedHandle]) { _, new in new }, request: request,
                context: context, status: .unprocessableContent)
        } catch let refusal as Refusal where refusal.kind == .conflict {
            // The same form sent twice (a double click, or back and send again): the first made the account and signed in.
            if let account = context.account, let typed = try? Handle(typedHandle), typed.normalised == (try? Handle(account.handle))?.normalised {
                return pages.message(
                    pages.words(context, request)["signup_already_title"],
                    "Your account @\(account.handle) was made the first time you sent the form, and you are signed in. If you did not "
                        + "see your recovery codes, you can make new ones in your account settings.",
                    request: request, context: context, status: .ok, back: "/account")
            }
            return pages.render("signup", ["error": refusal.message, "handle": typedHandle], request: request, context: context, status: .conflict)
        }
    }

    @Sendable func signIn(_ request: Request, context: ChorusContext) async throws -> Response {
        let form = context.submitted
        let handle = try form.value("handle") ?? ""
        let password = try form.value("password") ?? ""
        let next = LocalPath.from(try form.value("next"))
        guard let account = try await services.signIn(handle: handle, password: password) else {
            let words = pages.words(context, request)
            return pages.render(
                "signin", ["error": words["signin_wrong"], "handle": handle, "next": next], request: request, context: context,
                status: .unauthorized
            )
        }
        guard !account.isSuspended else {
            // A suspended person may still read the decision and appeal it; nothing else works for them.
            var response = redirect(to: "/account/moderation")
            try await startSession(for: account, on: &response)
            return response
        }
        var response = redirect(to: next)
        try await startSession(for: account, on: &response)
        return response
    }

    @Sendable func signOut(_ request: Request, context: ChorusContext) async throws -> Response {
        if let token = context.sessionToken { try await store.deleteSession(token: token) }
        var response = redirect(to: "/")
        response.setCookie(Self.sessionCookie("", secure: services.config.secureCookies, maxAge: 0))
        return response
    }

    @Sendable func recover(_ request: Request, context: ChorusContext) async throws -> Response {
        let form = context.submitted
        let handle = try form.value("handle") ?? ""
        let words = pages.words(context, request)
        do {
            let password = try form.value("password") ?? ""
            try PasswordRules.check(password)
            guard let account = try await store.redeemRecoveryCode(handle: handle, code: try form.value("code") ?? "") else {
                return pages.render(
                    "recover", ["error": words["recover_wrong"], "handle": handle], request: request, context: context, status: .unauthorized)
            }
            try await store.setPassword(accountID: account.id, passwordHash: try await services.hashPassword(password))
            let left = try await store.remainingRecoveryCodes(accountID: account.id)
            var response = pages.message(
                words["recover_done_title"],
                words.format(left == 0 ? "recover_done_none" : left == 1 ? "recover_done_one" : "recover_done", ["n": String(left)]),
                request: request,
                context: signedIn(context, account), status: .ok, back: "/account"
            )
            try await startSession(for: account, on: &response)
            return response
        } catch let error as InputError {
            return pages.render(
                "recover", ["error": error.message, "handle": handle], request: request, context: context, status: .unprocessableContent)
        }
    }

    private func signedIn(_ context: ChorusContext, _ account: Account) -> ChorusContext {
        var context = context
        context.account = account
        return context
    }

    private func startSession(for account: Account, on response: inout Response) async throws {
        let token = Secrets.token()
        try await store.createSession(accountID: account.id, token: token)
        response.setCookie(Self.sessionCookie(token, secure: services.config.secureCookies, maxAge: Int(ChorusStore.sessionLifetime / 1000)))
    }

    static func sessionCookie(_ value: String, secure: Bool, maxAge: Int) -> Cookie {
        Cookie(name: SessionMiddleware.sessionCookie, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Only paths on this site, so a link can't send someone elsewhere after signing in.
}
