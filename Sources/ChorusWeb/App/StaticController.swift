import Foundation
import Hummingbird

/// The stylesheet and the two small scripts (quick exit, live updates), served from this build: nothing from other sites.
struct StaticController {
    let files: [String: (type: String, body: ByteBuffer)]

    init() throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Static") else {
            throw ChorusStartupError("The static files are missing from this build.")
        }
        var files: [String: (String, ByteBuffer)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            files[name] = (Self.contentType(of: name), ByteBuffer(bytes: data))
        }
        self.files = files
    }

    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension {
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "txt": return "text/plain; charset=utf-8"
        case "html": return "text/html; charset=utf-8"
        default: return "application/octet-stream"
        }
    }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/static/{name}") { _, context in
            guard let name = context.parameters.get("name"), let file = files[name] else { throw HTTPError(.notFound) }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=3600"], body: .init(byteBuffer: file.body)
            )
        }
        router.get("/robots.txt") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "User-agent: *\nDisallow: /journal\n"))
            )
        }
    }
}
