import Foundation

/// Labels JSON Lines records: reads the `"text"` field, adds `"label"`, keeps every other field.
public enum CrisisLabelling {
    /// Why a line could not be labelled.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The line is not a JSON object.
        case notAnObject
        /// The object has no string `"text"` field.
        case missingText

        public var description: String {
            switch self {
            case .notAnObject: "line is not a JSON object"
            case .missingText: "object has no string \"text\" field"
            }
        }
    }

    /// The same record with `"label"` set to `"crisis"` or `"not_crisis"` (an existing label is replaced).
    /// Keys come out sorted, so the output is stable.
    public static func label(jsonLine: String, with detector: CrisisDetector) throws -> String {
        let parsed = try JSONSerialization.jsonObject(with: Data(jsonLine.utf8), options: [.fragmentsAllowed])
        guard var record = parsed as? [String: Any] else { throw Failure.notAnObject }
        guard let text = record["text"] as? String else { throw Failure.missingText }
        record["label"] = detector.classify(text).rawValue
        let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
