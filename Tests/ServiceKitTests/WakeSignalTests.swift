@testable import ServiceKit
import Testing

@Suite struct WakeSignalTests {
    @Test func aSignalWakesTheWaiterEarly() async {
        let wake = WakeSignal()
        let started = ContinuousClock.now
        let signaller = Task {
            try? await Task.sleep(for: .milliseconds(50))
            wake.signal()
        }
        await wake.wait(timeout: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(5))
        await signaller.value
    }

    @Test func aSignalSentBeforeTheWaitIsKeptForIt() async {
        let wake = WakeSignal()
        wake.signal()
        let started = ContinuousClock.now
        await wake.wait(timeout: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    /// A wait that was woken or timed out must leave nothing pending, or every later wait returns
    /// at once and the loop around it spins a core.
    @Test func waitsAfterAWakeUpSleepTheirFullTimeout() async {
        let wake = WakeSignal()
        wake.signal()
        await wake.wait(timeout: .seconds(10))
        await wake.wait(timeout: .milliseconds(30))
        var spins = 0
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .milliseconds(300) {
            await wake.wait(timeout: .milliseconds(100))
            spins += 1
        }
        #expect(spins <= 4, "\(spins) wake-ups in 300 ms with nobody signalling")
    }

    @Test func aCancelledWaiterReturns() async {
        let wake = WakeSignal()
        let waiter = Task { await wake.wait(timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        waiter.cancel()
        await waiter.value
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
