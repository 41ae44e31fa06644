import ChorusCore

/// A resource as the moderators' form carries it: every field as typed, so a refused form comes back as it was sent.
struct ResourceFields: Sendable {
    var country = ""
    var countryName = ""
    var emergency = ""
    var name = ""
    var phone = ""
    var text = ""
    var chat = ""
    var hours = "24/7"
    var languages = ""
    var source = ""
    var kind = HelpResource.Kind.sexualViolence.rawValue

    init() {}

    init(_ resource: HelpResource) {
        country = resource.country
        name = resource.name
        phone = resource.phone ?? ""
        text = resource.text ?? ""
        chat = resource.chat ?? ""
        hours = resource.hours
        languages = resource.languages.joined(separator: ", ")
        source = resource.source
        kind = resource.kind.rawValue
    }

    init(_ form: Form) throws(InputError) {
        func field(_ name: String) throws(InputError) -> String { (try form.value(name) ?? "").trimmingWhitespace }
        country = try field("country")
        countryName = try field("country_name")
        emergency = try field("emergency")
        name = try field("name")
        phone = try field("phone")
        text = try field("text")
        chat = try field("chat")
        hours = try field("hours")
        languages = try field("languages")
        source = try field("source")
        kind = try field("kind")
    }

    var values: [String: Any] {
        [
            "country": country, "country_name": countryName, "emergency": emergency, "name": name, "phone": phone, "text": text,
            "chat": chat, "hours": hours, "languages": languages, "source": source, "kind": kind,
        ]
    }

    /// The resource for a country code, or a clear message naming the field.
    func resource(for code: String) throws(InputError) -> HelpResource {
        guard let kind = HelpResource.Kind(rawValue: kind) else { throw InputError("Choose what the service is for from the list.", field: "kind") }
        func optional(_ value: String) -> String? { value.isEmpty ? nil : value }
        return HelpResource(
            country: code, name: name, phone: optional(phone), text: optional(text), chat: optional(chat), hours: hours,
            languages: languages.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.lowercased() }, source: source, kind: kind
        )
    }
}

/// The edits moderators make, as pure functions from one directory to the next (validated by the store).
enum ResourceEdits {
    static func adding(_ fields: ResourceFields, to directory: ResourceDirectory) throws -> ResourceDirectory {
        let code = ReaderHelp.normalised(fields.country)
        var countries = directory.countries
        if let index = countries.firstIndex(where: { $0.code == code }) {
            let country = countries[index]
            countries[index] = CountryHelp(
                code: country.code, name: country.name, emergency: country.emergency, resources: country.resources + [try fields.resource(for: code)])
        } else {
            guard !fields.countryName.isEmpty, !fields.emergency.isEmpty else {
                throw InputError("“\(code)” is a new country here: please give its name and its emergency number too.", field: "country_name")
            }
            countries.append(
                CountryHelp(code: code, name: fields.countryName, emergency: fields.emergency, resources: [try fields.resource(for: code)]))
        }
        return ResourceDirectory(countries: countries)
    }

    /// Where the resource a moderator saw at `index` (named `expectedName` on their page) is now, or a refusal: a
    /// resource is addressed by its place in the list, and another moderator's change since may have moved another there.
    static func position(
        country code: String, index: Int, expectedName: String?, in directory: ResourceDirectory
    ) throws(InputError) -> Int {
        guard let position = directory.countries.firstIndex(where: { $0.code == code }),
            directory.countries[position].resources.indices.contains(index),
            expectedName.map({ $0 == directory.countries[position].resources[index].name }) ?? true
        else {
            throw InputError("This resource is no longer in the directory; another moderator may have changed it. Please reload the list.")
        }
        return position
    }

    static func replacing(
        country code: String, index: Int, expectedName: String? = nil, with fields: ResourceFields, in directory: ResourceDirectory
    ) throws -> ResourceDirectory {
        var countries = directory.countries
        let position = try position(country: code, index: index, expectedName: expectedName, in: directory)
        let country = countries[position]
        var resources = country.resources
        resources[index] = try fields.resource(for: code)
        countries[position] = CountryHelp(code: country.code, name: country.name, emergency: country.emergency, resources: resources)
        return ResourceDirectory(countries: countries)
    }

    /// Deleting a country's last resource removes the country (readers there then see the international entry).
    static func deleting(country code: String, index: Int, expectedName: String? = nil, in directory: ResourceDirectory) throws
        -> ResourceDirectory
    {
        var countries = directory.countries
        let position = try position(country: code, index: index, expectedName: expectedName, in: directory)
        let country = countries[position]
        var resources = country.resources
        resources.remove(at: index)
        if resources.isEmpty, code != ResourceDirectory.internationalCode {
            countries.remove(at: position)
        } else {
            countries[position] = CountryHelp(code: country.code, name: country.name, emergency: country.emergency, resources: resources)
        }
        return ResourceDirectory(countries: countries)
    }

    static func updatingCountry(_ code: String, name: String, emergency: String, in directory: ResourceDirectory) throws -> ResourceDirectory {
        ResourceDirectory(
            countries: directory.countries.map { country in
                country.code == code
                    ? CountryHelp(code: code, name: name.trimmingWhitespace, emergency: emergency.trimmingWhitespace, resources: country.resources)
                    : country
            }
        )
    }

    /// The rule that was broken, for the moderator (the rules are worded in ChorusCore).
    static func message(_ error: ResourceDirectory.DirectoryError, words: Words) -> String {
        switch error {
        case .undecodable(let reason): return words.format("resource_invalid", ["problem": reason])
        case .invalid(_, let problem): return words.format("resource_invalid", ["problem": problem])
        }
    }
}
