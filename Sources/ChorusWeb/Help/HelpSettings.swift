import ChorusCore
import Foundation

/// The country setting on `/account`: which hotlines a signed-in person sees, on any device.
enum HelpSettings {
    static func countryOptions(_ directory: ResourceDirectory, selected: String?, words: Words) -> [[String: Any]] {
        var options: [[String: Any]] = directory.countries.filter { $0.code != ResourceDirectory.internationalCode }
            .map { (code: $0.code, name: words.countryName($0.code, fallback: $0.name)) }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
            .map { ["value": $0.code, "label": $0.name, "selected": $0.code == selected] }
        options.append(
            [
                "value": ResourceDirectory.internationalCode, "label": words["help_international"],
                "selected": selected == ResourceDirectory.internationalCode,
            ])
        return options
    }

    /// The submitted country: nil when the form did not carry one, "" to clear it, or a code from the directory.
    static func country(_ raw: String?, in directory: ResourceDirectory, words: Words) throws(InputError) -> String? {
        guard let raw else { return nil }
        guard !raw.isEmpty else { return "" }
        guard ReaderHelp.isChoosable(raw, in: directory) else { throw InputError(words["help_country_unknown"], field: "country") }
        return ReaderHelp.normalised(raw)
    }
}
