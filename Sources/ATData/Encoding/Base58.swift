/// Base58 with the Bitcoin alphabet: the multibase `z` encoding of did:key and Multikey strings.
public enum Base58 {
    static let alphabet: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, char) in alphabet.enumerated() {
            table[Int(char)] = Int8(index)
        }
        return table
    }()

    /// Longest input accepted by `decode` (keys and multikeys are far shorter; quadratic cost stays bounded).
    public static let maxDecodeLength = 1024

    /// Encodes bytes as base58btc (leading zero bytes become leading `1`s).
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let zeros = input.prefix(while: { $0 == 0 }).count
        var digits: [UInt8] = []  // base58 digits, little-endian
        digits.reserveCapacity(input.count * 138 / 100 + 1)
        for byte in input[zeros...] {
            var carry = Int(byte)
            for index in digits.indices {
                carry += Int(digits[index]) << 8
                digits[index] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var output = [UInt8](repeating: alphabet[0], count: zeros)
        output.reserveCapacity(zeros + digits.count)
        for digit in digits.reversed() {
            output.append(alphabet[Int(digit)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base58btc; nil for characters outside the alphabet or input over `maxDecodeLength`.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count <= maxDecodeLength else { return nil }
        let ones = input.prefix(while: { $0 == alphabet[0] }).count
        var bytes: [UInt8] = []  // little-endian
        bytes.reserveCapacity(input.count * 733 / 1000 + 1)
        for char in input[ones...] {
            let value = reverse[Int(char)]
            if value < 0 { return nil }
            var carry = Int(value)
            for index in bytes.indices {
                carry += Int(bytes[index]) * 58
                bytes[index] = UInt8(carry & 0xff)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xff))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: ones) + bytes.reversed()
    }
}
