import Simulator
import Testing

@Suite("Event sequencer")
struct EventSequencerTests {
    @Test("seqs start at 1 and grow by one; history is bounded; reset restarts at 1")
    func sequencing() {
        let sequencer = EventSequencer(historyLimit: 10)
        var seqs: [Int64] = []
        for index in 0..<40 { seqs.append(sequencer.append { _ in [UInt8(index)] }.seq) }
        #expect(seqs == Array(1...40))
        #expect(sequencer.headSeq == 40)
        // Trimmed in chunks: between the limit and limit + 16 entries stay.
        #expect((10...26).contains(sequencer.retainedCount))
        #expect(sequencer.oldestSeq == 40 - Int64(sequencer.retainedCount) + 1)
        sequencer.appendLiveOnly([0xff])
        #expect(sequencer.headSeq == 40)
        sequencer.reset()
        #expect(sequencer.headSeq == 0)
        #expect(sequencer.retainedCount == 0)
        #expect(sequencer.append { _ in [] }.seq == 1)
    }
}
