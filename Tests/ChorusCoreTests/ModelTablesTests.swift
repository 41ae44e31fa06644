import Foundation
import Testing

@testable import ChorusCore

/// The shipped models are read without `JSONDecoder`'s whole-document peak, into the same numbers, and their features
/// are found through a compact table instead of a dictionary.
@Suite struct ModelTablesTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/ChorusCore/Resources")
        .standardized

    private struct Arrays: Decodable {
        let hashes: [UInt64]
        let weights: [Float]
    }

    @Test(arguments: ["reply-guard-model", "crisis-model"])
    func shippedModelsReadToTheSameNumbersAsJSONDecoder(name: String) throws {
        let json = try Data(contentsOf: Self.resources.appendingPathComponent("\(name).json"))
        let tables = try ModelTables(json: json)
        let decoded = try JSONDecoder().decode(Arrays.self, from: json)
        #expect(tables.hashes.count > 10_000)
        #expect(tables.hashes == decoded.hashes)
        #expect(tables.weights.map { Float(Double($0) / 1000) } == decoded.weights)

        // The rest is the same document with the two arrays emptied, and still decodes.
        let rest = try #require(try JSONSerialization.jsonObject(with: tables.rest) as? [String: Any])
        let whole = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(rest.keys) == Set(whole.keys))
        #expect((rest["hashes"] as? [Any])?.isEmpty == true)
        #expect((rest["weights"] as? [Any])?.isEmpty == true)
        #expect((rest["threshold"] as? Double) == (whole["threshold"] as? Double))
        #expect(tables.rest.count < 10_000)
    }

    @Test func onlyTheTopLevelArraysAreTaken() throws {
        let json = Data(
            #"{"note":"\"hashes\":[1]","sources":{"hashes":[7]},"hashes" : [ 3, 12 ,40 ],"labels":["a","b"],"weights":[0.5,-1.3e-2]}"#
                .utf8)
        let tables = try ModelTables(json: json)
        #expect(tables.hashes == [3, 12, 40])
        #expect(tables.weights == [500, -13])
        #expect(
            String(decoding: tables.rest, as: UTF8.self)
                == #"{"note":"\"hashes\":[1]","sources":{"hashes":[7]},"hashes" : [],"labels":["a","b"],"weights":[]}"#)
    }

    @Test func malformedArraysSayWhere() {
        #expect(throws: ModelTables.Malformed.notANumber(key: "hashes", offset: 14)) {
            try ModelTables(json: Data(#"{"hashes":[1, x]}"#.utf8))
        }
        #expect(throws: ModelTables.Malformed.notANumber(key: "weights", offset: 12)) {
            try ModelTables(json: Data(#"{"weights":[nope]}"#.utf8))
        }
        #expect(throws: ModelTables.Malformed.unterminated(key: "weights")) {
            try ModelTables(json: Data(#"{"weights":[1.5, 2"#.utf8))
        }
        // A weight finer than a thousandth, or too large for two bytes, is refused rather than rounded.
        #expect(throws: ModelTables.Malformed.notThousandths(key: "weights", offset: 17)) {
            try ModelTables(json: Data(#"{"weights":[1.5, 0.0001]}"#.utf8))
        }
        #expect(throws: ModelTables.Malformed.notThousandths(key: "weights", offset: 12)) {
            try ModelTables(json: Data(#"{"weights":[40.5]}"#.utf8))
        }
        #expect(ModelTables.thousandths(-32.768) == -32_768)
        #expect(ModelTables.thousandths(32.767) == 32_767)
        #expect(ModelTables.thousandths(0.1 + 0.2) == 300)
    }

    @Test func everyHashIsFoundAtItsRowAndNoOther() throws {
        let hashes = (0..<5_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 & NGramFeatures.hashMask }.sorted()
        let rows = try FeatureRows(hashes: hashes)
        #expect(rows.count == hashes.count)
        for (row, hash) in hashes.enumerated() {
            #expect(rows.row(of: hash) == row)
        }
        let absent = hashes.map { $0 &+ 1 }.filter { !Set(hashes).contains($0) }.prefix(200)
        #expect(absent.count == 200)
        for hash in absent { #expect(rows.row(of: hash) == nil) }
        #expect(rows.row(of: NGramFeatures.hashMask + 1) == nil)
        #expect(rows.row(of: .max) == nil)
    }

    @Test func emptyAndTinyTablesWork() throws {
        #expect(try FeatureRows(hashes: []).row(of: 0) == nil)
        let one = try FeatureRows(hashes: [NGramFeatures.hashMask])
        #expect(one.row(of: NGramFeatures.hashMask) == 0)
        #expect(one.row(of: 0) == nil)
    }

    @Test func unsortedOrOversizedHashesAreRefused() {
        #expect(throws: FeatureRows.Invalid.notIncreasing(row: 2)) { try FeatureRows(hashes: [1, 5, 5]) }
        #expect(throws: FeatureRows.Invalid.beyondFeatureBits(row: 1)) { try FeatureRows(hashes: [1, 1 << 52]) }
    }
}
