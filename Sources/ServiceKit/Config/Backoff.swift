/// Exponential backoff: `base` after the first failure, doubled after each further one, never
/// more than `cap`.
public enum Backoff {
    public static func delay(afterAttempts attempts: Int, base: Duration, cap: Duration) -> Duration {
        let delay = base * (1 << min(max(attempts - 1, 0), 30))
        return min(cap, delay)
    }
}
