import Foundation

/// The share of CPU time the hypervisor gave to other machines (Linux's `steal` in /proc/stat)
/// while a measurement ran. These 2-core machines are virtual and shared: a run that lost a fifth
/// of its cores to neighbours is not comparable with one that lost none, and the bench says so
/// next to each figure.
struct CPUSteal {
    private let steal: UInt64
    private let total: UInt64

    /// nil where /proc/stat cannot be read (not Linux).
    static func sample() -> CPUSteal? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// The aggregate `cpu` line: user nice system idle iowait irq softirq steal [guest guest_nice].
    static func parse(_ text: String) -> CPUSteal? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 8 else { return nil }
        // guest time is already counted in user time.
        return CPUSteal(steal: fields[7], total: fields.prefix(8).reduce(0, +))
    }

    /// Percent of the CPU time between `earlier` and this sample that was stolen.
    func percent(since earlier: CPUSteal) -> Double? {
        guard total > earlier.total, steal >= earlier.steal else { return nil }
        return Double(steal - earlier.steal) * 100 / Double(total - earlier.total)
    }
}
