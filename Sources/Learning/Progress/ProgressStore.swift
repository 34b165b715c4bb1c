import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL of lesson progress.
struct ProgressStore: Sendable {
    let database: PostgresClient
    let outbox: Outbox
    let logger: Logger

    init(environment: ServiceEnvironment) {
        database = environment.database
        outbox = environment.outbox
        logger = environment.logger
    }

    /// Marks a published lesson complete for a learner (see `LessonCompletionWriter`). Throws 404
    /// for an unknown or unpublished lesson and 403 when prerequisites are missing.
    func complete(lessonID: UUID, userID: UUID, timeSpentSeconds: Int, logger: Logger) async throws -> LessonCompletion {
        try await database.transaction(logger: logger) { connection in
            let lesson = try await LessonAccess.require(lessonID, for: userID, on: connection, logger: logger)
            return try await LessonCompletionWriter(outbox: outbox).complete(lesson, userID: userID, timeSpentSeconds: timeSpentSeconds,
                                                                             on: connection, logger: logger)
        }
    }
}
