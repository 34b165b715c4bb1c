import Contracts
import Foundation
import Hummingbird
import NIOCore

/// JSON written by hand into a response body, for the few answers large and frequent enough that
/// `JSONEncoder`'s generic containers show in a profile (an ingest batch's 500 results cost the
/// ai-usage service a fifth of its CPU). The output is what `LyceumJSON.encoder()` writes: keys
/// as given (callers give them sorted), strings escaped the same way, `/` unescaped, and members
/// whose value is nil left out.
public struct JSONText {
    public private(set) var buffer: ByteBuffer
    private var needsComma = false

    public init(capacity: Int) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
    }

    public mutating func beginObject() { separate(); buffer.writeStaticString("{"); needsComma = false }
    public mutating func endObject() { buffer.writeStaticString("}"); needsComma = true }
    public mutating func beginArray() { separate(); buffer.writeStaticString("["); needsComma = false }
    public mutating func endArray() { buffer.writeStaticString("]"); needsComma = true }

    /// `"name":` inside an object; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separate()
        buffer.writeStaticString("\"")
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
        needsComma = false
    }

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        buffer.writeString(String(value))
        needsComma = true
    }

    public mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        member(name, value)
    }

    public mutating func member(_ name: StaticString, _ value: Int64?) {
        member(name, value.map(Int.init))
    }

    /// A number as `JSONEncoder` writes it (`50`, not `50.0`). Nil leaves the member out, and so
    /// do NaN and the infinities, which JSON cannot write (the encoder would throw; an answer
    /// being written must not stop the service).
    public mutating func member(_ name: StaticString, _ value: Double?) {
        guard let value, value.isFinite else { return }
        key(name)
        let text = value.description
        buffer.writeString(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
        needsComma = true
    }

    public mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        buffer.writeStaticString(value ? "true" : "false")
        needsComma = true
    }

    public mutating func member(_ name: StaticString, _ value: UUID?) {
        member(name, value?.uuidString)
    }

    /// An RFC 3339 timestamp, as `LyceumJSON` writes dates; nil leaves the member out.
    public mutating func member(_ name: StaticString, _ value: Date?) {
        member(name, value.map(RFC3339.string(from:)))
    }

    public mutating func string(_ text: String) {
        separate()
        buffer.writeStaticString("\"")
        var plainStart = text.utf8.startIndex
        let utf8 = text.utf8
        var index = plainStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                buffer.writeBytes(utf8[plainStart..<index])
                escape(byte)
                plainStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[plainStart..<utf8.endIndex])
        buffer.writeStaticString("\"")
        needsComma = true
    }

    /// The body as a JSON response.
    public func response(status: HTTPResponse.Status = .ok) -> Response {
        .json(buffer, status: status)
    }

    private mutating func separate() {
        if needsComma { buffer.writeStaticString(",") }
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeBytes([Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

/// An answer written with `JSONText`: its response is that text, without an encoder.
public protocol HandWrittenAnswer: ResponseGenerator {
    var json: JSONText { get }
}

extension HandWrittenAnswer {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        json.response()
    }
}

extension Response {
    /// A JSON body already encoded (a cached answer, or one written with `JSONText`).
    public static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
    }
}
