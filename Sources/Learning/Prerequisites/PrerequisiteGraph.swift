import Foundation

/// Prerequisite edges ("item requires other"): refuses a change that would close a cycle and
/// says which one.
struct PrerequisiteGraph: Sendable {
    private var requires: [UUID: Set<UUID>]

    init(edges: [(item: UUID, requires: UUID)]) {
        requires = edges.reduce(into: [:]) { $0[$1.item, default: []].insert($1.requires) }
    }

    /// The cycle that giving `item` exactly `prerequisites` would create, as a path that starts
    /// and ends at `item` (`[a, b, a]`: a requires b requires a); nil when there is none.
    func cycle(ifSetting prerequisites: Set<UUID>, for item: UUID) -> [UUID]? {
        var graph = requires
        graph[item] = prerequisites
        // Depth-first from each new prerequisite, looking for a way back to `item`.
        var visited: Set<UUID> = []
        func path(from node: UUID) -> [UUID]? {
            if node == item { return [node] }
            guard visited.insert(node).inserted else { return nil }
            for next in (graph[node] ?? []).sorted() {
                if let rest = path(from: next) { return [node] + rest }
            }
            return nil
        }
        for start in prerequisites.sorted() {
            if let rest = path(from: start) { return [item] + rest }
        }
        return nil
    }
}
