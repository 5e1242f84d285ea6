import Foundation
import KeelCore
import Testing

/// Philox4x32-10 written from the paper's description (Salmon et al., SC'11), for any 128-bit
/// counter: checked against Random123's known answers, then used to check the library's version.
private func philox(_ counter: (UInt32, UInt32, UInt32, UInt32), _ key: (UInt32, UInt32)) -> [UInt32] {
    var x = [counter.0, counter.1, counter.2, counter.3]
    var k = [key.0, key.1]
    for round in 0..<10 {
        if round > 0 { k[0] &+= 0x9E37_79B9; k[1] &+= 0xBB67_AE85 }
        let p0 = UInt64(0xD251_1F53) * UInt64(x[0]), p1 = UInt64(0xCD9E_8D57) * UInt64(x[2])
        x = [UInt32(p1 >> 32) ^ x[1] ^ k[0], UInt32(truncatingIfNeeded: p1), UInt32(p0 >> 32) ^ x[3] ^ k[1], UInt32(truncatingIfNeeded: p0)]
    }
    return x
}

@Suite struct PhiloxTests {
    // Known-answer vectors of Philox4x32-10 from Random123's tests/kat_vectors (D. E. Shaw
    // Research), the same three that TensorFlow's and other ports test against.
    static let knownAnswers: [((UInt32, UInt32, UInt32, UInt32), (UInt32, UInt32), [UInt32])] = [
        ((0, 0, 0, 0), (0, 0), [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8]),
        ((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), (0xFFFF_FFFF, 0xFFFF_FFFF), [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD]),
        ((0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), (0xA409_3822, 0x299F_31D0), [0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1]),
    ]

    @Test func libraryMatchesRandom123ZeroVector() {
        let words = Philox4x32(seed: 0).words(at: 0)
        #expect([words.0, words.1, words.2, words.3] == [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
    }

    @Test func independentImplementationMatchesAllKnownAnswers() {
        for (counter, key, expected) in Self.knownAnswers {
            #expect(philox(counter, key) == expected)
        }
    }

    @Test(arguments: [UInt64(0), 1, 42, 0xFFFF_FFFF, 0x1_0000_0000, 0xDEAD_BEEF_CAFE_BABE, .max])
    func libraryMatchesIndependentImplementation(seed: UInt64) {
        let generator = Philox4x32(seed: seed)
        let key = (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        for index in [UInt64(0), 1, 2, 1000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1234_5678_9ABC_DEF0, .max] {
            let words = generator.words(at: index)
            let expected = philox((UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32), 0, 0), key)
            #expect([words.0, words.1, words.2, words.3] == expected, "seed \(seed) index \(index)")
        }
    }

    @Test func unitFloatUsesTheTop24Bits() {
        #expect(Philox4x32.unitFloat(0) == 0)
        #expect(Philox4x32.unitFloat(0xFF) == 0)
        #expect(Philox4x32.unitFloat(0x100) == 0x1p-24)
        #expect(Philox4x32.unitFloat(0xFFFF_FFFF) == 1 - 0x1p-24)
    }

    @Test func samplesFollowTheDocumentedFormulas() {
        let generator = Philox4x32(seed: 99)
        for index in UInt64(0)..<64 {
            let w = generator.words(at: index)
            let (u0, u1) = (Philox4x32.unitFloat(w.0), Philox4x32.unitFloat(w.1))
            #expect(generator.sample(.uniform(low: -2, high: 5), at: index) == -2 + 7 * u0)
            #expect(generator.sample(.bernoulli(probability: 0.3), at: index) == (u0 < 0.3 ? 1 : 0))
            let normal = Double(generator.sample(.normal(mean: 1, standardDeviation: 2), at: index))
            let exact = 1 + 2 * (-2 * log(1 - Double(u0))).squareRoot() * cos(2 * Double.pi * Double(u1))
            #expect(abs(normal - exact) <= 1e-5 * (1 + abs(exact)), "index \(index)")
        }
    }
}
