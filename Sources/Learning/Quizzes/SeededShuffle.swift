import Foundation

/// A shuffle that is random per attempt and the same every time for that attempt: questions and
/// options are ordered from the attempt's id, so a reload or a second device sees the same order
/// and the order never has to be stored.
struct SeededShuffle {
    private var state: UInt64

    init(seed: UUID, salt: UUID? = nil) {
        var value: UInt64 = 0x9E37_79B9_7F4A_7C15
        for byte in Self.bytes(seed) + (salt.map(Self.bytes) ?? []) {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3  // FNV-1a over the bytes
        }
        state = value
    }

    func shuffled<T>(_ items: [T]) -> [T] {
        var generator = self
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            result.swapAt(index, other)
        }
        return result
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func bytes(_ id: UUID) -> [UInt8] {
        withUnsafeBytes(of: id.uuid) { Array($0) }
    }
}
