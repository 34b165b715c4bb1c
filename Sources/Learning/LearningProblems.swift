import Foundation
import HTTPTypes
import ServiceKit

/// The learning service's own problem types: each names what is missing so a client can act on it.
enum LearningProblems {
    static func missing(_ items: [PrerequisiteStore.Item], type: String, title: String, detail: String, field: String) -> Problem {
        Problem(status: .forbidden, type: "https://lyceum.dev/problems/\(type)", title: title,
                detail: detail + items.map { "\($0.title) (\($0.id))" }.joined(separator: ", "),
                errors: items.map { Problem.FieldError(field: field, message: $0.id.uuidString) })
    }

    static func lessonPrerequisites(_ items: [PrerequisiteStore.Item]) -> Problem {
        missing(items, type: "prerequisites-missing", title: "Prerequisites missing", detail: "complete these lessons first: ",
                field: "prerequisites")
    }

    static func coursePrerequisites(_ items: [PrerequisiteStore.Item]) -> Problem {
        missing(items, type: "prerequisites-missing", title: "Prerequisites missing", detail: "complete these courses first: ",
                field: "prerequisites")
    }

    static func moduleLocked(_ items: [PrerequisiteStore.Item]) -> Problem {
        missing(items, type: "module-locked", title: "Module locked",
                detail: "this course unlocks its modules in order; complete these lessons of earlier modules first: ",
                field: "module_id")
    }

    static func enrollmentRequired(_ detail: String) -> Problem {
        Problem(status: .forbidden, type: "https://lyceum.dev/problems/enrollment-required", title: "Enrollment required",
                detail: detail, errors: [Problem.FieldError(field: "course_id", message: detail)])
    }

    static func paymentRequired(_ courseID: UUID) -> Problem {
        Problem(status: .paymentRequired, type: "https://lyceum.dev/problems/payment-required", title: "Payment required",
                detail: "course \(courseID) is paid: access comes with a successful purchase",
                errors: [Problem.FieldError(field: "course_id", message: "needs a purchase")])
    }
}

extension HTTPResponse.Status {
    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
}
