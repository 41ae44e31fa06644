import ChorusCore
import Hummingbird
import NIOCore

/// What every request carries through Chorus: who is signed in, the form they sent, and their language.
public struct ChorusContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in account, from the session cookie (web) or a bearer token (API).
    public var account: Account?
    /// A suspended person's account: signed out everywhere except the page where they read why and appeal.
    public var suspendedAccount: Account?
    /// The raw session token, when signed in through the web.
    public var sessionToken: String?
    /// The token every form must send back, tied to this browser.
    public var csrfToken: String = ""
    /// A form body, parsed once and checked against CSRF.
    public var form: Form?
    /// OAuth scopes of the bearer token, when the request came through the API.
    public var scopes: Set<String> = []
    /// The OAuth token id, when the request came through the API.
    public var tokenID: Int64?
    /// The application the token belongs to.
    public var applicationID: Int64?
    /// Short notices shown at the top of the next page (a report's outcome, a moderator's decision).
    var notices: [PageNotice] = []

    /// The peer, held only while the request lasts, to compute the fingerprint when a limit needs it.
    private let peer: SocketAddress?

    /// The client's in-memory fingerprint for rate limits: a keyed hash, never the address itself (see `AddressFingerprint`),
    /// of the peer or of the client a reverse proxy on this machine names (`ForwardedClient`). Computed only when a
    /// limit asks, not for every request.
    public func clientFingerprint(of request: Request) -> String {
        AddressFingerprint.shared.fingerprint(ForwardedClient.address(peer: peer, headers: request.headers))
    }

    /// Completes when the connection closes. A long response (a live stream) ends with it: the server would otherwise
    /// notice a page that went away only at its next write, and hold it until then.
    public let connectionClosed: EventLoopFuture<Void>

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.peer = source.channel.remoteAddress
        self.connectionClosed = source.channel.closeFuture
    }

    /// Stories can be long: 64 KiB is plenty for any form or API body Chorus accepts.
    public var maxUploadSize: Int { 64 * 1024 }
}
