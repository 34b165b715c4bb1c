import Hummingbird
import ServiceKit

/// The AI agents' records: curator chats and messages, mentor sessions, messages and tasks,
/// analyst reports.
struct AgentRoutes {
    let environment: ServiceEnvironment

    func register(on v1: RouterGroup<ServiceRequestContext>) {}
}
