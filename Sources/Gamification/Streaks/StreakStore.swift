import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of `user_streaks` and `streak_days`. Local days are computed by PostgreSQL only
/// (`occurred_at AT TIME ZONE <zone>`), for activities, the settling job and reads alike; the
/// rules themselves (`StreakRules`) only count days.
struct StreakStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let platformTimeZone: String
    let policy: StreakPolicy

    init(environment: ServiceEnvironment) {
        self.init(database: environment.database, outbox: environment.outbox, platformTimeZone: environment.settings.platformTimeZone,
                  policy: StreakPolicy(environment.settings.streaks))
    }

    init(database: PostgresClient, outbox: Outbox, platformTimeZone: String, policy: StreakPolicy) {
        self.database = database
        self.outbox = outbox
        self.platformTimeZone = platformTimeZone
        self.policy = policy
    }

    /// Each activity's day (in the learner's zone) joins their streak, in the consumer's
    /// transaction, a few statements for the whole batch: missed days before it are settled first,
    /// exactly as the job would have. A learner's whole history is read only when one of their
    /// days is late (at or before their run's last settled day).
    func record(_ items: [(activity: Activity, day: LocalDay, metadata: Outbox.Metadata)], on connection: PostgresConnection,
                logger: Logger) async throws {
        guard !items.isEmpty else { return }
        let users = Array(Set(items.map(\.activity.userID))).sorted()
        try await ensureRows(users, on: connection, logger: logger)
        var states: [UUID: StreakState] = [:]
        for try await (user, current, longest, last, covered, available, used, broken) in try await connection.query("""
            SELECT user_id, current_streak, longest_streak, last_activity_day::text, covered_through::text, freezes_available,
                   freezes_used, last_broken_on::text
            FROM gamification.user_streaks WHERE user_id = ANY(\(users)) ORDER BY user_id FOR UPDATE
            """, logger: logger).decode((UUID, Int, Int, String?, String?, Int, Int, String?).self) {
            states[user] = Self.state(current, longest, last, covered, available, used, broken)
        }
        var known: [UUID: [LocalDay: StreakDayKind]] = [:]
        for try await (user, day, kind) in try await connection.query("""
            SELECT d.user_id, d.day::text, d.kind FROM gamification.streak_days d
            JOIN unnest(\(items.map(\.activity.userID))::uuid[], \(items.map(\.day.iso))::date[]) AS a(user_id, day)
              ON d.user_id = a.user_id AND d.day = a.day
            """, logger: logger).decode((UUID, String, String).self) {
            if let day = LocalDay(iso: day), let kind = StreakDayKind(rawValue: kind) { known[user, default: [:]][day] = kind }
        }
        let daysByUser = Dictionary(grouping: items, by: \.activity.userID).mapValues { $0.map(\.day) }
        var settled: [Settled] = [], late: [UUID] = []
        for user in users {
            guard var state = states[user], let days = daysByUser[user] else { continue }
            var recorded = known[user] ?? [:]
            if let changes = StreakRules.apply(days, to: &state, days: &recorded, complete: false, policy: policy) {
                settled.append(Settled(userID: user, state: state, changes: changes))
            } else {
                late.append(user)
            }
        }
        if !late.isEmpty {
            let histories = try await histories(of: late, on: connection, logger: logger)
            for user in late {
                guard var state = states[user], let days = daysByUser[user] else { continue }
                var recorded = histories[user] ?? [:]
                let changes = StreakRules.apply(days, to: &state, days: &recorded, complete: true, policy: policy) ?? []
                settled.append(Settled(userID: user, state: state, changes: changes))
            }
        }
        let metadata = Dictionary(items.map { ($0.activity.userID, $0.metadata) }, uniquingKeysWith: { _, last in last })
        try await save(settled, activeDays: items.map { ($0.activity.userID, $0.day) },
                       metadata: { metadata[$0] ?? .about(user: $0, actor: nil) }, on: connection, logger: logger)
    }

    /// Settles up to `batch` learners whose live streak has unsettled missed days at `now` (a day
    /// is missed once it ended `grace` ago in the learner's zone), in one transaction; the number
    /// settled. Rows another transaction holds (an activity, another replica) are skipped.
    func settleDue(now: Date, grace: Duration, batch: Int, logger: Logger) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(grace.components.seconds))
        return try await database.transaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT s.user_id, s.current_streak, s.longest_streak, s.last_activity_day::text, s.covered_through::text,
                       s.freezes_available, s.freezes_used, s.last_broken_on::text, z.yesterday::text
                FROM gamification.user_streaks s
                LEFT JOIN gamification.learner_settings l ON l.user_id = s.user_id
                CROSS JOIN LATERAL (SELECT (\(cutoff)::timestamptz AT TIME ZONE coalesce(l.timezone, \(platformTimeZone)))::date - 1 AS yesterday) z
                WHERE s.current_streak > 0
                  AND s.covered_through < (\(cutoff)::timestamptz AT TIME ZONE 'UTC')::date
                  AND s.covered_through < z.yesterday
                ORDER BY s.covered_through, s.user_id
                LIMIT \(batch)
                FOR UPDATE OF s SKIP LOCKED
                """, logger: logger).decode((UUID, Int, Int, String?, String?, Int, Int, String?, String).self).all()
            var settled: [Settled] = []
            for row in rows {
                guard let through = LocalDay(iso: row.8) else { continue }
                var state = Self.state(row.1, row.2, row.3, row.4, row.5, row.6, row.7)
                let changes = StreakRules.settle(&state, through: through)
                if !changes.isEmpty { settled.append(Settled(userID: row.0, state: state, changes: changes)) }
            }
            try await save(settled, activeDays: [], metadata: { .about(user: $0, actor: nil, at: now) }, on: connection, logger: logger)
            return rows.count
        }
    }

    /// Settles every due learner, batch after batch; the number settled.
    @discardableResult
    func settleAllDue(now: Date, grace: Duration, batch: Int = 500, logger: Logger) async throws -> Int {
        var total = 0
        while true {
            // A deadline per batch: a query lost on a dying session must not stop the job for good.
            let count = try await DatabaseDeadline.run { try await settleDue(now: now, grace: grace, batch: batch, logger: logger) }
            total += count
            if count < batch { return total }
        }
    }

    /// A learner's streak as of `now`: missed days the job has not settled yet are settled in the
    /// view (not written), so it never shows a streak that has in fact ended.
    func view(of userID: UUID, now: Date = Date(), logger: Logger) async throws -> StreakView {
        let row = try await database.query("""
            SELECT s.current_streak, s.longest_streak, s.last_activity_day::text, s.covered_through::text, s.freezes_available,
                   s.freezes_used, s.last_broken_on::text, z.zone, z.today::text,
                   EXISTS (SELECT 1 FROM gamification.streak_days k WHERE k.user_id = u.user_id AND k.day = z.today AND k.kind = 'active')
            FROM (SELECT \(userID)::uuid AS user_id) u
            LEFT JOIN gamification.user_streaks s ON s.user_id = u.user_id
            LEFT JOIN gamification.learner_settings l ON l.user_id = u.user_id
            CROSS JOIN LATERAL (SELECT coalesce(l.timezone, \(platformTimeZone)) AS zone) y
            CROSS JOIN LATERAL (SELECT y.zone, (\(now)::timestamptz AT TIME ZONE y.zone)::date AS today) z
            """, logger: logger).decode((Int?, Int?, String?, String?, Int?, Int?, String?, String, String, Bool).self).firstElement()
        guard let row, let today = LocalDay(iso: row.8) else { throw Problem.internalError }
        var state = Self.state(row.0 ?? 0, row.1 ?? 0, row.2, row.3, row.4 ?? policy.freezesAtStart, row.5 ?? 0, row.6)
        _ = StreakRules.settle(&state, through: today - 1)
        return StreakView(userId: userID, currentStreak: state.current, longestStreak: state.longest,
                          lastActivityDay: state.lastActivityDay?.iso, freezesAvailable: state.freezesAvailable,
                          freezesUsed: state.freezesUsed, freezeCap: policy.freezeCap, timezone: row.7, today: today.iso, todayActive: row.9)
    }

    /// Adds up to `count` freezes (never past the cap) and records the grant; how many fitted.
    func grant(_ count: Int, to userID: UUID, reason: String, by admin: UUID, logger: Logger) async throws -> Int {
        try await database.transaction(logger: logger) { connection in
            try await ensureRow(userID, on: connection, logger: logger)
            let granted = try await connection.query("""
                WITH grant_row AS (
                    SELECT user_id, greatest(0, least(\(count), \(policy.freezeCap) - freezes_available)) AS granted
                    FROM gamification.user_streaks WHERE user_id = \(userID) FOR UPDATE
                ), updated AS (
                    UPDATE gamification.user_streaks s SET freezes_available = s.freezes_available + g.granted, updated_at = now()
                    FROM grant_row g WHERE s.user_id = g.user_id
                )
                INSERT INTO gamification.streak_freeze_grants (user_id, requested, granted, reason, granted_by)
                SELECT user_id, \(count), granted, \(reason), \(admin) FROM grant_row
                RETURNING granted
                """, logger: logger).decode(Int.self).firstElement()
            return granted ?? 0
        }
    }

    // MARK: - Writing

    struct Settled {
        var userID: UUID
        var state: StreakState
        var changes: [StreakChange]
    }

    private func ensureRow(_ userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await ensureRows([userID], on: connection, logger: logger)
    }

    private func ensureRows(_ users: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO gamification.user_streaks (user_id, freezes_available)
            SELECT user_id, \(policy.freezesAtStart) FROM unnest(\(users)::uuid[]) AS u(user_id) ORDER BY user_id
            ON CONFLICT (user_id) DO NOTHING
            """, logger: logger)
    }

    private func histories(of users: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: [LocalDay: StreakDayKind]] {
        var days: [UUID: [LocalDay: StreakDayKind]] = [:]
        for try await (user, day, kind) in try await connection.query(
            "SELECT user_id, day::text, kind FROM gamification.streak_days WHERE user_id = ANY(\(users))", logger: logger
        ).decode((UUID, String, String).self) {
            if let day = LocalDay(iso: day), let kind = StreakDayKind(rawValue: kind) { days[user, default: [:]][day] = kind }
        }
        return days
    }

    /// Writes the new states, the active and frozen days and the events, a statement each
    /// whatever the number of learners.
    private func save(_ settled: [Settled], activeDays: [(UUID, LocalDay)], metadata: (UUID) -> Outbox.Metadata,
                      on connection: PostgresConnection, logger: Logger) async throws {
        if !settled.isEmpty {
            let states = settled.map(\.state)
            try await connection.query("""
                UPDATE gamification.user_streaks s SET
                    current_streak = u.current, longest_streak = u.longest,
                    last_activity_day = NULLIF(u.last_day, '')::date, covered_through = NULLIF(u.covered, '')::date,
                    freezes_available = u.available, freezes_used = u.used, last_broken_on = NULLIF(u.broken, '')::date,
                    updated_at = now()
                FROM unnest(\(settled.map(\.userID))::uuid[], \(states.map(\.current))::int[], \(states.map(\.longest))::int[],
                            \(states.map { $0.lastActivityDay?.iso ?? "" })::text[], \(states.map { $0.coveredThrough?.iso ?? "" })::text[],
                            \(states.map(\.freezesAvailable))::int[], \(states.map(\.freezesUsed))::int[],
                            \(states.map { $0.lastBrokenOn?.iso ?? "" })::text[])
                    AS u(user_id, current, longest, last_day, covered, available, used, broken)
                WHERE s.user_id = u.user_id
                """, logger: logger)
        }
        var seen = Set<String>()
        let activeDays = activeDays.filter { seen.insert("\($0.0)/\($0.1.ordinal)").inserted }
        if !activeDays.isEmpty {
            try await connection.query("""
                INSERT INTO gamification.streak_days (user_id, day, kind)
                SELECT user_id, day::date, 'active' FROM unnest(\(activeDays.map { $0.0 })::uuid[], \(activeDays.map { $0.1.iso })::text[]) AS a(user_id, day)
                ON CONFLICT (user_id, day) DO UPDATE SET kind = 'active', recorded_at = now() WHERE gamification.streak_days.kind <> 'active'
                """, logger: logger)
        }
        var frozenDays: [(UUID, String)] = []
        var extended: [(payload: StreakExtended, metadata: Outbox.Metadata)] = []
        var frozen: [(payload: StreakFrozen, metadata: Outbox.Metadata)] = []
        var broken: [(payload: StreakBroken, metadata: Outbox.Metadata)] = []
        for learner in settled {
            for change in learner.changes {
                switch change {
                case .extended(let day, let current, let longest):
                    extended.append((StreakExtended(userId: learner.userID, day: day.iso, current: current, longest: longest), metadata(learner.userID)))
                case .frozen(let day, let left, let current):
                    frozenDays.append((learner.userID, day.iso))
                    frozen.append((StreakFrozen(userId: learner.userID, day: day.iso, freezesLeft: left, current: current), metadata(learner.userID)))
                case .broken(let day, let previous):
                    broken.append((StreakBroken(userId: learner.userID, day: day.iso, previousStreak: previous), metadata(learner.userID)))
                }
            }
        }
        if !frozenDays.isEmpty {
            try await connection.query("""
                INSERT INTO gamification.streak_days (user_id, day, kind)
                SELECT user_id, day::date, 'frozen' FROM unnest(\(frozenDays.map { $0.0 })::uuid[], \(frozenDays.map { $0.1 })::text[]) AS f(user_id, day)
                ON CONFLICT (user_id, day) DO NOTHING
                """, logger: logger)
        }
        // In the order they happened: missed days first, then the activity that followed them.
        try await outbox.append(contentsOf: frozen, on: connection, logger: logger)
        try await outbox.append(contentsOf: broken, on: connection, logger: logger)
        try await outbox.append(contentsOf: extended, on: connection, logger: logger)
    }

    private static func state(_ current: Int, _ longest: Int, _ lastDay: String?, _ covered: String?, _ available: Int, _ used: Int,
                              _ broken: String?) -> StreakState {
        StreakState(current: current, longest: longest, lastActivityDay: lastDay.flatMap(LocalDay.init(iso:)),
                    coveredThrough: covered.flatMap(LocalDay.init(iso:)), freezesAvailable: available, freezesUsed: used,
                    lastBrokenOn: broken.flatMap(LocalDay.init(iso:)))
    }
}

extension StreakPolicy {
    init(_ settings: StreakSettings) {
        self.init(freezesAtStart: settings.freezesAtStart, freezeCap: settings.freezeCap)
    }
}
