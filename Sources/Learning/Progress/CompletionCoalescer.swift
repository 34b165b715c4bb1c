import Foundation
import PostgresNIO
import ServiceKit

/// One-trip lesson completions that arrive together, in one statement and transaction
/// (`ProgressStatements.CompleteMany`: `learning.complete_lesson` once per completion, each
/// deciding as it would alone).
typealias CompletionCoalescer = StatementCoalescer<ProgressStatements.CompleteInOneTrip, ProgressStatements.CompleteMany>

extension StatementCoalescer where Single == ProgressStatements.CompleteInOneTrip, Batch == ProgressStatements.CompleteMany {
    /// Locks in the order learner, course, lesson: the enrollment row, then the progress row.
    static func completions(on database: PostgresClient) -> CompletionCoalescer {
        CompletionCoalescer(database: database, batch: { ProgressStatements.CompleteMany(completions: $0) }) { a, b in
            (a.userID, a.lesson.courseId, a.lesson.id) < (b.userID, b.lesson.courseId, b.lesson.id)
        }
    }
}
