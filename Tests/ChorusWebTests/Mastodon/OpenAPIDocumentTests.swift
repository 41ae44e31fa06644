import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document of the API (docs/openapi.yaml), served at /api/openapi.yaml. The e2e check
/// (e2e/test_openapi_fuzz.py) fuzzes the running server against it; this checks that it is served and that it
/// describes routes that exist.
@Suite struct OpenAPIDocumentTests {
    static let unknownRoute =
        "Chorus does not offer this part of the Mastodon API. The methods it offers are listed in its API documentation (docs/api.md)."

    /// `(method, path)` of every operation: paths are two-space keys starting with `/`, methods four-space keys.
    static func operations(in document: String) -> [(method: HTTPRequest.Method, path: String)] {
        var operations: [(HTTPRequest.Method, String)] = []
        var path: String?
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path, line.hasSuffix(":") || line.contains(": ") {
                let key = line.dropFirst(4).prefix { $0 != ":" }
                if ["get", "post", "put", "delete", "patch"].contains(key), let method = HTTPRequest.Method(key.uppercased()) {
                    operations.append((method, path))
                }
            } else if !line.hasPrefix(" "), !line.isEmpty, !line.hasPrefix("#") {
                path = nil
            }
        }
        return operations
    }

    static var documentInDocs: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        }
    }

    @Test func theDocumentIsServedAndEveryOperationInItIsARoute() async throws {
        // setup
        let app = try await makeApp()
        try await app.test(.live) { client in
            // A token that may only read its own profile: the streams refuse it at once (403) instead of streaming.
            let limited = try await MastodonClient.signedUp(client, "ana", scopes: "profile")
            // act
            let served = try await client.execute(uri: "/api/openapi.yaml", method: .get)
            let document = String(buffer: served.body)
            let operations = Self.operations(in: document)
            var unrouted: [String] = []
            for (method, template) in operations {
                let path = template.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{name}", with: "metoo")
                    .replacingOccurrences(of: "{hashtag}", with: "metoo")
                let reply = try await limited.request(method, path)
                if reply.status == .notFound, reply.error == Self.unknownRoute { unrouted.append("\(method) \(template)") }
            }
            let unknown = try await limited.get("/api/v1/no_such_thing")
            // check
            #expect(served.status == .ok)
            #expect(served.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(document.hasPrefix("openapi: 3."))
            #expect(document == (try Self.documentInDocs))
            #expect(operations.count >= 80)
            #expect(operations.contains { $0.method == .post && $0.path == "/api/v1/statuses" })
            #expect(unrouted == [])
            #expect(unknown.status == .notFound && unknown.error == Self.unknownRoute)
        }
    }
}
