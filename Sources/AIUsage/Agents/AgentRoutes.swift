import Hummingbird
import ServiceKit

/// The AI agents' records: curator chats and messages, mentor sessions, messages and tasks,
/// analyst reports. Who sees what is `AgentScope`'s.
struct AgentRoutes {
    let environment: ServiceEnvironment

    init(environment: ServiceEnvironment) {
        self.environment = environment
    }

    func register(on v1: RouterGroup<ServiceRequestContext>) {
        CuratorChatRoutes(store: CuratorChatStore(environment: environment)).register(on: v1)
        MentorSessionRoutes(store: MentorSessionStore(environment: environment)).register(on: v1)
        MentorTaskRoutes(store: MentorTaskStore(environment: environment)).register(on: v1)
        AnalystReportRoutes(store: AnalystReportStore(environment: environment)).register(on: v1)
    }
}
