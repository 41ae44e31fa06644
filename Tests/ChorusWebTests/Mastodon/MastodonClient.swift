import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// One answer from the API, with its JSON read.
struct APIReply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var ids: [String] { list.compactMap { $0["id"] as? String } }
    subscript(_ key: String) -> Any? { object[key] }
    var error: String { object["error"] as? String ?? "" }
}

/// A Mastodon app as a person uses it: registered, logged in with a token, calling the API over a real socket.
struct MastodonClient {
    let client: any TestClientProtocol
    var token: String?
    var clientID = ""
    var clientSecret = ""
    var accountID = ""
    var handle = ""

    init(_ client: any TestClientProtocol, token: String? = nil) {
        self.client = client
        self.token = token
    }

    /// Joins on the web, registers an app and logs in with the password grant.
    static func signedUp(_ client: any TestClientProtocol, _ handle: String, scopes: String = "read write follow push") async throws
        -> MastodonClient
    {
        var browser = Browser(client)
        try await browser.signUp(handle)
        var api = MastodonClient(client)
        try await api.registerApp(scopes: scopes)
        let token = try await api.post(
            "/oauth/token",
            form: [
                ("grant_type", "password"), ("username", handle), ("password", "correct horse battery"), ("client_id", api.clientID),
                ("client_secret", api.clientSecret), ("scope", scopes),
            ])
        api.token = token["access_token"] as? String
        api.handle = handle
        api.accountID = try await api.get("/api/v1/accounts/verify_credentials")["id"] as? String ?? ""
        return api
    }

    mutating func registerApp(scopes: String = "read write follow push", redirect: String = "urn:ietf:wg:oauth:2.0:oob") async throws {
        let app = try await post("/api/v1/apps", form: [("client_name", "Test app"), ("redirect_uris", redirect), ("scopes", scopes)])
        clientID = app["client_id"] as? String ?? ""
        clientSecret = app["client_secret"] as? String ?? ""
    }

    func request(
        _ method: HTTPRequest.Method, _ path: String, body: String? = nil, contentType: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> APIReply {
        var headers = extra
        if let token, headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return APIReply(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> APIReply { try await request(.get, path, headers: headers) }

    func post(_ path: String, form: [(String, String)] = [], headers: HTTPFields = [:]) async throws -> APIReply {
        try await request(.post, path, body: Browser.encode(form), contentType: "application/x-www-form-urlencoded", headers: headers)
    }

    func post(_ path: String, json: String, headers: HTTPFields = [:]) async throws -> APIReply {
        try await request(.post, path, body: json, contentType: "application/json", headers: headers)
    }

    func delete(_ path: String) async throws -> APIReply { try await request(.delete, path) }

    /// Posts a status and returns it.
    func say(_ text: String, _ extra: [(String, String)] = []) async throws -> APIReply {
        try await post("/api/v1/statuses", form: [("status", text)] + extra)
    }
}
