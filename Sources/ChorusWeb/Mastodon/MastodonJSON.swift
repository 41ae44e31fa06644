import ChorusCore
import Foundation
import Hummingbird

/// A JSON value with ordered keys and explicit nulls, as Mastodon entities need (`"reblog": null`).
indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.serialized() == rhs.serialized() }

    /// A string, or null.
    static func of(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// An id as Mastodon sends it: a string, or null.
    static func id(_ value: Int64?) -> JSON { value.map { .string(String($0)) } ?? .null }

    func serialized() -> String { String(buffer: bytes()) }

    /// The JSON text, written straight into the bytes a response sends.
    func bytes() -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(1024)
        write(to: &out)
        return out
    }

    private func write(to out: inout ByteBuffer) {
        switch self {
        case .null: out.writeStaticString("null")
        case .bool(let value): out.writeStaticString(value ? "true" : "false")
        case .int(let value): out.writeString(String(value))
        case .string(let value): Self.quote(value, into: &out)
        case .array(let values):
            out.writeStaticString("[")
            for (index, value) in values.enumerated() {
                if index > 0 { out.writeStaticString(",") }
                value.write(to: &out)
            }
            out.writeStaticString("]")
        case .object(let pairs):
            out.writeStaticString("{")
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out.writeStaticString(",") }
                Self.quote(pair.0, into: &out)
                out.writeStaticString(":")
                pair.1.write(to: &out)
            }
            out.writeStaticString("}")
        }
    }

    /// Writes `text` as a JSON string. Runs of characters that need no escape are copied whole, byte for byte.
    private static func quote(_ text: String, into out: inout ByteBuffer) {
        var text = text
        // A native string's bytes are read in place: indexing its UTF-8 view a byte at a time cost more than the copy.
        text.withUTF8 { quote(utf8: $0, into: &out) }
    }

    private static func quote(utf8: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) {
        out.writeStaticString("\"")
        var run = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            var escape: StaticString?
            var width = 1
            switch byte {
            case UInt8(ascii: "\""): escape = "\\\""
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "<"): escape = "\\u003c"
            case UInt8(ascii: ">"): escape = "\\u003e"
            case UInt8(ascii: "&"): escape = "\\u0026"
            case 0..<0x20: escape = controlEscapes[Int(byte)]
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) end a line in JavaScript.
                if index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                    escape = utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                }
            default: break
            }
            if let escape {
                out.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[run..<index])))
                out.writeStaticString(escape)
                index += width
                run = index
            } else {
                index += 1
            }
        }
        out.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[run..<index])))
        out.writeStaticString("\"")
    }

    /// `\u0000` to `\u001f`.
    private static let controlEscapes: [StaticString] = [
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007", "\\u0008", "\\u0009", "\\u000a",
        "\\u000b", "\\u000c", "\\u000d", "\\u000e", "\\u000f", "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015",
        "\\u0016", "\\u0017", "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    ]

    /// Adds or replaces a key of an object.
    func with(_ key: String, _ value: JSON) -> JSON {
        guard case .object(var pairs) = self else { return self }
        if let index = pairs.firstIndex(where: { $0.0 == key }) { pairs[index].1 = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    /// Adds fields to a status's `chorus` object (what its writer alone is told: help, a hold, a moderator's decision).
    func withChorus(_ fields: [(String, JSON)]) -> JSON {
        guard case .object(var chorus)? = self["chorus"] else { return self }
        chorus.append(contentsOf: fields)
        return with("chorus", .object(chorus))
    }

    subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements) }
    init(nilLiteral: ()) { self = .null }
}

/// JSON responses for the API.
enum APIResponse {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: value.bytes()))
    }

    /// A page of items with Mastodon's `Link` header: `rel="next"` for older items, `rel="prev"` for newer ones.
    static func page(
        _ items: [JSON], ids: [Int64], request: Request, baseURL: String, limit: Int, status: HTTPResponse.Status = .ok
    ) -> Response {
        var headers = HTTPFields()
        headers[.link] = links(ids: ids, request: request, baseURL: baseURL, limit: limit)
        return json(.array(items), status: status, headers: headers)
    }

    /// The `Link` header of a page whose items have these ids (newest first), or nil for an empty page.
    static func links(ids: [Int64], request: Request, baseURL: String, limit: Int) -> String? {
        guard let first = ids.first, let last = ids.last else { return nil }
        var kept: [(String, String)] = []
        for (name, value) in request.uri.queryParameters
        where !["max_id", "min_id", "since_id", "limit", "access_token"].contains(String(name)) {
            kept.append((String(name), String(value)))
        }
        func link(_ cursor: String, _ id: Int64) -> String {
            let query = (kept + [("limit", String(limit)), (cursor, String(id))]).map { "\(encode($0.0))=\(encode($0.1))" }
            return baseURL + request.uri.path + "?" + query.joined(separator: "&")
        }
        return "<\(link("max_id", last))>; rel=\"next\", <\(link("min_id", first))>; rel=\"prev\""
    }

    static func encode(_ text: String) -> String { PercentEncoding.component.encode(text) }
}

/// The parameters of an API request, from the query string and the body (form-encoded or JSON), as Mastodon accepts them.
struct APIParams: Sendable {
    enum Value: Sendable, Equatable {
        case text(String)
        case number(String)
        case bool(Bool)
        case null
        case list([Value])
        case object
    }

    var values: [String: Value] = [:]

    /// Reads the query, then the body: a body value wins over a query value of the same name. A null character
    /// anywhere is refused: no engine can store it, and no person means to send it.
    static func read(_ request: Request, context: ChorusContext) async throws -> APIParams {
        let params = try await readUnchecked(request, context: context)
        if let name = params.nameWithNullCharacter() {
            throw InputError("“\(name)” contains an invisible null character that can't be stored. Please remove it and send again.", field: name)
        }
        return params
    }

    /// The first parameter whose name or value holds a null character (U+0000).
    func nameWithNullCharacter() -> String? {
        func holdsNull(_ value: Value) -> Bool {
            switch value {
            case .text(let text): return text.utf8.contains(0)
            case .list(let list): return list.contains(where: holdsNull)
            case .number, .bool, .null, .object: return false
            }
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) where name.utf8.contains(0) || holdsNull(value) {
            return name.replacingOccurrences(of: "\u{0}", with: "")
        }
        return nil
    }

    private static func readUnchecked(_ request: Request, context: ChorusContext) async throws -> APIParams {
        var params = APIParams()
        // The query as forms encode it (`+` is a space), which Mastodon libraries send.
        for (name, list) in Form(request.uri.query ?? "").values {
            params.values[name] = name.hasSuffix("[]") || list.count > 1 ? .list(list.map(Value.text)) : .text(list[0])
        }
        guard request.method != .get, request.method != .head else { return params }
        var request = request
        let body = try await request.collectBody(
            upTo: context.maxUploadSize, tooLarge: "That is more than a request can carry (64 KiB). Please send less.",
            unreadable: "The request body arrived incomplete or could not be read. Please send it again.")
        guard body.readableBytes > 0 else { return params }
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        if contentType.hasPrefix("application/json") {
            let input: JSONInput
            do {
                input = try JSONDecoder().decode(JSONInput.self, from: Data(buffer: body))
            } catch {
                throw InputError("The JSON body could not be read. Check that it is valid JSON and try again.")
            }
            guard case .object(let dictionary) = input else {
                throw InputError("The JSON body should be an object, such as {\"status\": \"#MeToo\"}.")
            }
            for (name, value) in dictionary {
                params.values[name] = value.param
                // One level of nesting reads as a form names it: {"home": {"last_read_id": "1"}} is home[last_read_id].
                if case .object(let fields) = value {
                    for (field, inner) in fields { params.values["\(name)[\(field)]"] = inner.param }
                }
            }
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.isEmpty {
            let form = Form(String(buffer: body))
            for (name, list) in form.values {
                if name.hasSuffix("[]") || list.count > 1 {
                    params.values[name] = .list(list.map(Value.text))
                } else {
                    params.values[name] = .text(list[0])
                }
            }
        } else if contentType.hasPrefix("multipart/form-data") {
            for (name, value) in Multipart.fields(body: String(buffer: body), contentType: request.headers[.contentType] ?? "") {
                params.add(name, .text(value))
            }
        } else {
            throw InputError("Send parameters as a form (application/x-www-form-urlencoded) or as JSON (application/json).")
        }
        return params
    }

    private mutating func add(_ name: String, _ value: Value) {
        if name.hasSuffix("[]"), case .list(let list)? = values[name] {
            values[name] = .list(list + [value])
        } else if name.hasSuffix("[]") {
            values[name] = .list([value])
        } else {
            values[name] = value
        }
    }

    func has(_ name: String) -> Bool {
        if case .null? = values[name] { return false }
        return values[name] != nil
    }

    /// A text parameter; a number, list or object where text is expected is refused.
    func string(_ name: String) throws(InputError) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .text(let text)?: return text
        default: throw InputError("“\(name)” should be text.", field: name)
        }
    }

    /// An id: digits, as text or as a number.
    func id(_ name: String) throws(InputError) -> Int64? {
        switch values[name] {
        case nil, .null?: return nil
        case .text(let text)?:
            if text.isEmpty { return nil }
            guard let id = Int64(text) else { throw InputError("“\(name)” should be an id, such as 109876543210.", field: name) }
            return id
        case .number(let text)?:
            guard let id = Int64(text) else { throw InputError("“\(name)” should be an id, such as 109876543210.", field: name) }
            return id
        default: throw InputError("“\(name)” should be an id, such as 109876543210.", field: name)
        }
    }

    func int(_ name: String) throws(InputError) -> Int? {
        switch values[name] {
        case nil, .null?: return nil
        case .text(let text)?, .number(let text)?:
            if text.isEmpty { return nil }
            guard let number = Int(text) else { throw InputError("“\(name)” should be a whole number.", field: name) }
            return number
        default: throw InputError("“\(name)” should be a whole number.", field: name)
        }
    }

    func bool(_ name: String) throws(InputError) -> Bool? {
        switch values[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case .text(let text)?, .number(let text)?:
            switch text.lowercased() {
            case "true", "1", "on", "yes", "t": return true
            case "false", "0", "off", "no", "f", "": return false
            default: throw InputError("“\(name)” should be true or false.", field: name)
            }
        default: throw InputError("“\(name)” should be true or false.", field: name)
        }
    }

    /// Every value of a list parameter, sent as `name[]`, `name` (repeated or one value) or a JSON array.
    func strings(_ name: String) throws(InputError) -> [String] {
        var all: [String] = []
        for key in [name, name + "[]"] {
            switch values[key] {
            case nil, .null?: continue
            case .text(let text)?, .number(let text)?: all.append(text)
            case .list(let list)?:
                for item in list {
                    switch item {
                    case .text(let text), .number(let text): all.append(text)
                    default: throw InputError("“\(name)” should be a list of text values.", field: name)
                    }
                }
            default: throw InputError("“\(name)” should be a list of text values.", field: name)
            }
        }
        return all
    }

    /// How many results to skip (`offset`): negative is read as 0, and more than 10,000 as 10,000 (nobody pages that far).
    func offset() throws(InputError) -> Int {
        min(max(try int("offset") ?? 0, 0), Self.maxOffset)
    }

    static let maxOffset = 10_000

    /// The page a list request asks for.
    func page() throws(InputError) -> PageRequest {
        let limit = try int("limit") ?? PageRequest.defaultLimit
        guard limit > 0 else { throw InputError("“limit” should be a number from 1 to \(PageRequest.maxLimit).", field: "limit") }
        return PageRequest(maxID: try id("max_id"), sinceID: try id("since_id"), minID: try id("min_id"), limit: limit)
    }
}

/// A JSON request body, read with its types kept (true is not 1).
enum JSONInput: Decodable {
    case text(String)
    case number(String)
    case bool(Bool)
    case null
    case list([JSONInput])
    case object([String: JSONInput])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(Double.self) {
            self = .number(String(value))
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else if let value = try? container.decode([JSONInput].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: JSONInput].self))
        }
    }

    var param: APIParams.Value {
        switch self {
        case .text(let text): return .text(text)
        case .number(let text): return .number(text)
        case .bool(let value): return .bool(value)
        case .null: return .null
        case .list(let list): return .list(list.map(\.param))
        case .object: return .object
        }
    }
}

/// The text fields of a small `multipart/form-data` body (some clients send statuses this way). Files are not accepted.
enum Multipart {
    static func fields(body: String, contentType: String) -> [(String, String)] {
        guard let range = contentType.range(of: "boundary=") else { return [] }
        var boundary = String(contentType[range.upperBound...])
        if let semicolon = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semicolon]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        var fields: [(String, String)] = []
        for part in body.components(separatedBy: "--" + boundary) {
            guard let split = part.range(of: "\r\n\r\n") else { continue }
            let head = part[..<split.lowerBound]
            guard let nameRange = head.range(of: "name=\""), !head.contains("filename=") else { continue }
            let rest = head[nameRange.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            var value = String(part[split.upperBound...])
            // The line break before the next boundary belongs to the boundary. "\r\n" is one Character in Swift, so it
            // is dropped as bytes (removeLast(2) took a letter with it, and crashed on a value of just "\r\n").
            if value.utf8.suffix(2).elementsEqual("\r\n".utf8) { value = String(decoding: value.utf8.dropLast(2), as: UTF8.self) }
            fields.append((String(rest[..<end]), value))
        }
        return fields
    }
}
