import Foundation
import Hummingbird

/// Serves the OpenAPI document of the API (`docs/openapi.yaml`) at `/api/openapi.yaml`, from this build.
struct OpenAPIController {
    static let path = "/api/openapi.yaml"
    let document: ByteBuffer

    init() throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw ChorusStartupError("The OpenAPI document is missing from this build.")
        }
        document = ByteBuffer(bytes: try Data(contentsOf: url))
    }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get(RouterPath(Self.path)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: document))
        }
    }
}
