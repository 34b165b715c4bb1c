import Foundation
@testable import Learning
import Testing

@Suite struct QuizGradingTests {
    let a = UUID(), b = UUID(), c = UUID()

    func question(_ kind: GradableQuestion.Kind, points: Int = 1, correct: Set<UUID> = [], accepted: [String] = []) -> GradableQuestion {
        GradableQuestion(id: UUID(), kind: kind, points: points, correctOptions: correct, acceptedAnswers: accepted)
    }

    @Test func choiceQuestionsScoreOnlyTheExactSet() {
        let single = question(.singleChoice, points: 2, correct: [a])
        let multiple = question(.multipleChoice, points: 3, correct: [a, b])
        #expect(QuizGrader.grade(single, .options([a])).points == 2)
        #expect(QuizGrader.grade(single, .options([a, b])).points == 0)
        #expect(QuizGrader.grade(multiple, .options([a, b])).points == 3)
        #expect(QuizGrader.grade(multiple, .options([a])).points == 0)
        #expect(QuizGrader.grade(multiple, .options([a, b, c])).points == 0)
        #expect(QuizGrader.grade(multiple, nil).isCorrect == false)
        #expect(QuizGrader.grade(multiple, .text("a")).points == 0)
    }

    @Test func shortAnswersMatchAcrossCaseSpacingAndKeyboards() {
        let persian = question(.shortAnswer, accepted: ["کتاب‌خانه ۱۲"])
        #expect(QuizGrader.grade(persian, .text("  كتاب خانه 12. ")).isCorrect == true)   // Arabic kaf, space, ASCII digits
        #expect(QuizGrader.grade(persian, .text("کتابخانه")).isCorrect == false)
        let russian = question(.shortAnswer, accepted: ["Ёлка"])
        #expect(QuizGrader.grade(russian, .text("елка")).isCorrect == true)
        let english = question(.shortAnswer, accepted: ["New   York"])
        #expect(QuizGrader.grade(english, .text("new york!")).isCorrect == true)
        #expect(QuizGrader.grade(english, .text("   ")).isCorrect == false)
    }

    @Test func essaysWaitForACuratorAndThenDecide() {
        let choice = question(.singleChoice, points: 1, correct: [a])
        let essay = question(.essay, points: 4)
        let result = QuizGrader.grade([choice, essay], answers: [choice.id: .options([a]), essay.id: .text("Моё эссе")],
                                      passingPercentage: 60)
        #expect(result.status == .pendingReview)
        #expect(result.maxScore == 5)
        let passed = QuizGrader.finish(result, reviewed: [essay.id: 3], passingPercentage: 60)
        #expect(passed.status == .passed && passed.score == 4)
        let failed = QuizGrader.finish(result, reviewed: [essay.id: 1], passingPercentage: 60)
        #expect(failed.status == .failed && failed.score == 2)
    }

    @Test func theLineIsInclusiveAndALateAttemptNeverPasses() {
        let questions = (0..<5).map { _ in question(.trueFalse, correct: [a]) }
        let answers = Dictionary(uniqueKeysWithValues: questions.prefix(4).map { ($0.id, GivenAnswer.options([a])) })
        #expect(QuizGrader.grade(questions, answers: answers, passingPercentage: 80).status == .passed)
        #expect(QuizGrader.grade(questions, answers: answers, passingPercentage: 81).status == .failed)
        #expect(QuizGrader.grade(questions, answers: answers, passingPercentage: 80, late: true).status == .expired)
    }

    @Test func theDeadlineHasAGraceAndNoLimitMeansNoDeadline() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let limit = AttemptDeadline(startedAt: start, timeLimitSeconds: 600)
        #expect(!limit.isLate(start.addingTimeInterval(620)))
        #expect(limit.isLate(start.addingTimeInterval(631)))
        #expect(!AttemptDeadline(startedAt: start, timeLimitSeconds: nil).isLate(start.addingTimeInterval(1e9)))
    }

    @Test func shufflesAreStablePerAttemptAndDifferAcrossAttempts() {
        let items = Array(0..<20)
        let attempt = UUID()
        #expect(SeededShuffle(seed: attempt).shuffled(items) == SeededShuffle(seed: attempt).shuffled(items))
        #expect(SeededShuffle(seed: attempt).shuffled(items).sorted() == items)
        let orders = Set((0..<20).map { _ in SeededShuffle(seed: UUID()).shuffled(items) })
        #expect(orders.count > 15)
        let question = UUID()
        #expect(SeededShuffle(seed: attempt, salt: question).shuffled(items) != SeededShuffle(seed: attempt).shuffled(items))
    }
}
