import Foundation

/// Re-scores a submitted attempt with the current keys and points of the questions it was given
/// (after an author fixed a key, or changed points or a type). Essays a curator scored keep their
/// points, capped at the question's current worth; essays still awaiting review keep waiting; an
/// expired attempt stays expired. The learner's answers themselves never change.
enum QuizRegrader {
    struct Regraded: Sendable, Equatable {
        /// One answer per question of the attempt, with its new points and correctness.
        var answers: [StoredAnswer]
        var result: QuizResult
    }

    static func regrade(_ questions: [QuizQuestion], answers: [StoredAnswer], passingPercentage: Int, expired: Bool) -> Regraded {
        let stored = Dictionary(answers.map { ($0.questionId, $0) }, uniquingKeysWith: { first, _ in first })
        var regraded: [StoredAnswer] = []
        var graded: [GradedAnswer] = []
        for question in questions {
            let old = stored[question.id]
            let grade: GradedAnswer
            if question.kind == .essay, let old, old.isCorrect != nil {
                let points = min(old.points, question.points)
                grade = GradedAnswer(questionId: question.id, points: points, isCorrect: points > 0)
            } else {
                grade = QuizGrader.grade(question.gradable, old.flatMap { given($0, to: question.kind) })
            }
            graded.append(grade)
            var answer = old ?? StoredAnswer(questionId: question.id, optionIds: [], text: nil, points: 0, isCorrect: nil, feedback: nil)
            (answer.points, answer.isCorrect) = (grade.points, grade.isCorrect)
            regraded.append(answer)
        }
        let result = QuizGrader.result(graded, maxScore: questions.reduce(0) { $0 + $1.points }, passingPercentage: passingPercentage,
                                       late: expired)
        return Regraded(answers: regraded, result: result)
    }

    /// The stored answer as the grader reads it for the question's current type (an answer of
    /// the wrong kind, after a type change, counts as unanswered).
    private static func given(_ answer: StoredAnswer, to kind: GradableQuestion.Kind) -> GivenAnswer? {
        if kind.isChoice { return answer.text == nil ? .options(Set(answer.optionIds)) : nil }
        return answer.text.map(GivenAnswer.text)
    }
}
