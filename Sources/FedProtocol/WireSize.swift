import SwiftProtobuf

extension SwiftProtobuf.Message {
    /// The message's serialized size in bytes (what it costs on the wire, before HTTP/2 framing).
    public var wireSize: Int {
        ((try? serializedBytes()) as [UInt8]?)?.count ?? 0
    }
}
