import ChorusTestSupport
import ChorusWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A fresh Chorus on a fresh database, for one test.
func makeApp(configure: (inout AppConfig) -> Void = { _ in }) async throws -> some ApplicationProtocol {
    let engine = try await TestDatabase.freshEngine()
    var config = AppConfig(port: 0, databaseURL: TestDatabase.databaseURL(engine), bcryptCost: 4, logLevel: .warning)
    // Every test client shares one address; tests of the limits themselves turn them on (SafetyTests).
    config.rateLimits = .off
    configure(&config)
    return try await buildApplication(config)
}

/// A person's browser: keeps cookies, and sends the CSRF token with every form, as the pages do.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// Sent with every request (e.g. what a reverse proxy adds).
    var extraHeaders: HTTPFields = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    @discardableResult
    mutating func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        headers.append(contentsOf: extraHeaders)
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
        return remember(response)
    }

    /// Posts a form as the page would: with this browser's CSRF token (fetched first if it has none).
    @discardableResult
    mutating func post(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> Page {
        if csrf, cookies["chorus_csrf"] == nil { try await get("/") }
        var all = fields
        if csrf { all.append(("_csrf", cookies["chorus_csrf"] ?? "")) }
        return try await postRaw(path, Self.encode(all))
    }

    mutating func postRaw(_ path: String, _ body: String, contentType: String = "application/x-www-form-urlencoded") async throws -> Page {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        return remember(response)
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
    }

    private mutating func remember(_ response: TestResponse) -> Page {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0])
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies.removeValue(forKey: name) } else { cookies[name] = value }
        }
        return Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    }

    /// Signs up and stays signed in; returns the recovery codes page.
    @discardableResult
    mutating func signUp(_ handle: String, password: String = "correct horse battery") async throws -> Page {
        try await post("/signup", [("handle", handle), ("password", password), ("password_confirmation", password)])
    }

    /// Says *me too* and returns the id of the new voice, read from the page.
    mutating func sayMeToo(_ text: String = "", warning: String = "", visibility: String = "public") async throws -> (Page, String?) {
        let page = try await post("/say", [("text", text), ("content_warning", warning), ("visibility", visibility), ("reply_policy", "everyone")])
        return (page, Self.firstVoiceID(in: page.body))
    }

    static func firstVoiceID(in html: String) -> String? {
        guard let range = html.range(of: #"id="v(\d+)""#, options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(5).dropLast())
    }
}
