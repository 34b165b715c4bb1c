import Testing

/// Every ai-usage suite, one test at a time: each test starts a service on a database of its own,
/// and on a 2-core CI machine ~50 more of them at once, next to the other modules' tests, starved
/// the machine (connections timed out, circuit breakers tripped).
@Suite(.serialized) struct AIUsageSuites {}
