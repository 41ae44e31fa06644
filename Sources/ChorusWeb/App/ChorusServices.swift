import ChorusCore
import ChorusStore
import Hummingbird
import HummingbirdBcrypt
import NIOPosix

/// What every controller shares: the store, the pages, the live updates and the screening of new text.
public struct ChorusServices: Sendable {
    public let config: AppConfig
    public let store: ChorusStore
    let pages: Pages
    public let live: LiveEvents
    let screening: Screening

    /// Hashes off the event loops: bcrypt is slow on purpose.
    func hashPassword(_ password: String) async throws -> String {
        let cost = config.bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        guard !hash.isEmpty else { return false }
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The account `password` opens, under the limit on failed sign-ins per account (the web form and apps' password
    /// grant alike); nil when the handle or the password is wrong. The failures are counted under the account's id,
    /// never under what was typed (an e-mail address, or a password typed into the handle field, was kept as typed).
    func signIn(handle: String, password: String) async throws -> Account? {
        guard let found = try await store.credentials(handle: handle) else { return nil }
        let key = "account-\(found.account.id)"
        try await store.check(.signInFailures, key: key)
        guard try await verifyPassword(password, hash: found.passwordHash) else {
            try await store.count(.signInFailures, key: key)
            return nil
        }
        return found.account
    }
}

/// Pages that need someone signed in send others to sign in first, then back.
struct SignInRequired: Error {
    let returnTo: String
}

extension ChorusContext {
    /// The signed-in account, or a trip to the sign-in page.
    func requireAccount(_ request: Request) throws -> Account {
        guard let account else {
            // A page asked for with a query ("/say?visibility=anonymous") comes back with it after signing in.
            let query = request.method == .get ? request.uri.query.map { "?\($0)" } ?? "" : ""
            throw SignInRequired(returnTo: request.uri.path + query)
        }
        return account
    }

    /// The parsed form of a POST (the form middleware guarantees it for web forms).
    var submitted: Form { form ?? Form(values: [:]) }
}
