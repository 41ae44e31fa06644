import ChorusCore
import ChorusStore
import Foundation
import Hummingbird

/// Moderators keep the help directory right: list, edit, add and delete hotlines, and correct a country's emergency number.
/// Every change is validated by the same rules as `data/resources.json` and stored in one transaction.
struct ResourcesModerationController {
    let services: ChorusServices
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ChorusContext>) {
        router.get("/moderation/resources") { request, context in try await list(request, context) }
        router.get("/moderation/resources/new") { request, context in
            _ = try moderator(request, context)
            return form(request, context, fields: ResourceFields(), action: "/moderation/resources", isNew: true)
        }
        router.post("/moderation/resources") { request, context in try await add(request, context) }
        router.get("/moderation/resources/{country}/{index}") { request, context in try await edit(request, context) }
        router.post("/moderation/resources/{country}/{index}") { request, context in try await save(request, context) }
        router.post("/moderation/resources/{country}/{index}/delete") { request, context in try await delete(request, context) }
        router.post("/moderation/countries/{country}") { request, context in try await saveCountry(request, context) }
    }

    func moderator(_ request: Request, _ context: ChorusContext) throws -> Account {
        let account = try context.requireAccount(request)
        guard account.isModerator else { throw Refusal(.forbidden, pages.words(context, request)["moderators_only"]) }
        return account
    }

    func list(_ request: Request, _ context: ChorusContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        _ = try moderator(request, context)
        let words = pages.words(context, request)
        let directory = try await pages.help?.reload() ?? .bundled
        let countries = directory.countries.map { country in
            [
                "code": country.code, "name": country.name, "emergency": country.emergency,
                "resources": country.resources.enumerated().map { index, resource in
                    [
                        "index": index, "name": resource.name, "phone": resource.phone ?? "", "kind": words["help_kind_\(resource.kind.rawValue)"],
                        "code": country.code,
                    ]
                },
            ] as [String: Any]
        }
        var values: [String: Any] = ["countries": countries, "saved": request.uri.queryParameters["saved"] != nil]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return pages.render("moderation_resources", values, request: request, context: context, status: status)
    }

    func form(
        _ request: Request, _ context: ChorusContext, fields: ResourceFields, action: String, isNew: Bool, expectedName: String? = nil,
        error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let words = pages.words(context, request)
        var values = fields.values
        values["action"] = action
        values["is_new"] = isNew
        // The name of the resource as it was when the form was shown: a save is refused if another one is there now.
        if let expectedName { values["expected_name"] = expectedName }
        values["kinds"] = HelpResource.Kind.allCases.map {
            ["value": $0.rawValue, "label": words["help_kind_\($0.rawValue)"], "selected": $0.rawValue == fields.kind] as [String: Any]
        }
        if let error { values["error"] = error }
        return pages.render("moderation_resource", values, request: request, context: context, status: status)
    }

    func position(_ context: ChorusContext) throws -> (country: String, index: Int) {
        guard let country = context.parameters.get("country"), let index = context.parameters.get("index", as: Int.self) else {
            throw Refusal(.notFound, "There is no such resource. It may have been changed by another moderator.")
        }
        return (country, index)
    }

    func edit(_ request: Request, _ context: ChorusContext) async throws -> Response {
        _ = try moderator(request, context)
        let (code, index) = try position(context)
        let directory = try await pages.help?.reload() ?? .bundled
        guard let country = directory.countries.first(where: { $0.code == code }), country.resources.indices.contains(index) else {
            throw Refusal(.notFound, pages.words(context, request)["resource_missing"])
        }
        return form(
            request, context, fields: ResourceFields(country.resources[index]), action: "/moderation/resources/\(code)/\(index)", isNew: false,
            expectedName: country.resources[index].name)
    }

    func add(_ request: Request, _ context: ChorusContext) async throws -> Response {
        _ = try moderator(request, context)
        let fields = try ResourceFields(context.submitted)
        return try await change(request, context, fields: fields, action: "/moderation/resources", isNew: true) { directory in
            try ResourceEdits.adding(fields, to: directory)
        }
    }

    func save(_ request: Request, _ context: ChorusContext) async throws -> Response {
        _ = try moderator(request, context)
        let (code, index) = try position(context)
        let fields = try ResourceFields(context.submitted)
        let expected = try Self.expectedName(context)
        return try await change(
            request, context, fields: fields, action: "/moderation/resources/\(code)/\(index)", isNew: false, expectedName: expected
        ) { directory in
            try ResourceEdits.replacing(country: code, index: index, expectedName: expected, with: fields, in: directory)
        }
    }

    func delete(_ request: Request, _ context: ChorusContext) async throws -> Response {
        _ = try moderator(request, context)
        let (code, index) = try position(context)
        let expected = try Self.expectedName(context)
        do {
            try await services.store.updateHelpDirectory { directory in
                try ResourceEdits.deleting(country: code, index: index, expectedName: expected, in: directory)
            }
            try await pages.help?.reload()
            return redirect(to: "/moderation/resources?saved=1")
        } catch let error as ResourceDirectory.DirectoryError {
            return try await list(
                request, context, error: ResourceEdits.message(error, words: pages.words(context, request)), status: .unprocessableContent)
        } catch let error as InputError {
            return try await list(request, context, error: error.message, status: .unprocessableContent)
        }
    }

    /// The `expected_name` a form was sent with (see `ResourceEdits.position`), or nil.
    static func expectedName(_ context: ChorusContext) throws -> String? {
        try context.submitted.value("expected_name").flatMap { $0.isEmpty ? nil : $0 }
    }

    func saveCountry(_ request: Request, _ context: ChorusContext) async throws -> Response {
        _ = try moderator(request, context)
        let code = context.parameters.get("country") ?? ""
        let name = try context.submitted.value("name") ?? ""
        let emergency = try context.submitted.value("emergency") ?? ""
        do {
            try await services.store.updateHelpDirectory { directory in
                try ResourceEdits.updatingCountry(code, name: name, emergency: emergency, in: directory)
            }
            try await pages.help?.reload()
            return redirect(to: "/moderation/resources?saved=1")
        } catch let error as ResourceDirectory.DirectoryError {
            return try await list(
                request, context, error: ResourceEdits.message(error, words: pages.words(context, request)), status: .unprocessableContent)
        }
    }

    /// Applies one edit in a transaction; a directory that breaks a rule is refused with the rule, and the form is kept.
    func change(
        _ request: Request, _ context: ChorusContext, fields: ResourceFields, action: String, isNew: Bool, expectedName: String? = nil,
        _ edit: @escaping @Sendable (ResourceDirectory) throws -> ResourceDirectory
    ) async throws -> Response {
        let words = pages.words(context, request)
        do {
            try await services.store.updateHelpDirectory(edit)
            try await pages.help?.reload()
            return redirect(to: "/moderation/resources?saved=1")
        } catch let error as ResourceDirectory.DirectoryError {
            return form(
                request, context, fields: fields, action: action, isNew: isNew, expectedName: expectedName,
                error: ResourceEdits.message(error, words: words), status: .unprocessableContent)
        } catch let error as InputError {
            return form(
                request, context, fields: fields, action: action, isNew: isNew, expectedName: expectedName, error: error.message,
                status: .unprocessableContent)
        }
    }
}
