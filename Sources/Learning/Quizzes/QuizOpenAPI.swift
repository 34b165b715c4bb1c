import ServiceKit

/// Quizzes' and assignments' part of learning's OpenAPI document.
enum QuizOpenAPI {
    static let errors = #"""
        "400": {"description": "invalid field, named in errors[]", \#(PlatformOpenAPI.problemContent)},
        "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
        "403": {"description": "a role that may not do this (or prerequisites missing)", \#(PlatformOpenAPI.problemContent)},
        "404": {"description": "no such item, or another learner's", \#(PlatformOpenAPI.problemContent)}
        """#
    static func conflict(_ why: String) -> String { #""409": {"description": "\#(why)", \#(PlatformOpenAPI.problemContent)}"# }
    static let auth = #""security": [{"bearer": []}]"#
    static func id(_ name: String) -> String {
        #""parameters": [{"name": "\#(name)", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}]"#
    }
    static func body(_ schema: String) -> String { CatalogOpenAPI.body(schema) }
    static func ok(_ status: Int, _ schema: String) -> String { CatalogOpenAPI.ok(status, schema) }
    static let limit = #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}"#
    static let cursor = #"{"name": "cursor", "in": "query", "description": "next_cursor of the previous page (opaque)", "schema": {"type": "string"}}"#

    static let paths = #"""
    {
      "/v1/lessons/{lesson_id}/quiz": {
        "post": {"summary": "Create the quiz of a quiz lesson (admin, curator)", \#(auth), \#(id("lesson_id")), \#(body("QuizInput")),
          "responses": {\#(ok(201, "Quiz")), \#(conflict("not a quiz lesson, or it already has a quiz")), \#(errors)}},
        "get": {"summary": "The lesson's quiz (as GET /v1/quizzes/{quiz_id})", \#(auth), \#(id("lesson_id")),
          "responses": {\#(ok(200, "Quiz")), \#(errors)}}},
      "/v1/quizzes/{quiz_id}": {
        "get": {"summary": "A quiz: staff get every question with its answers; students the settings and their standing", \#(auth),
          \#(id("quiz_id")), "responses": {\#(ok(200, "Quiz")), \#(errors)}},
        "patch": {"summary": "Change quiz settings (admin, curator); null clears time_limit_minutes and max_attempts", \#(auth),
          \#(id("quiz_id")), \#(body("QuizInput")), "responses": {\#(ok(200, "Quiz")), \#(errors)}}},
      "/v1/quizzes/{quiz_id}/questions": {"post": {"summary": "Append a question (admin, curator)", \#(auth), \#(id("quiz_id")),
        \#(body("QuestionInput")), "responses": {\#(ok(201, "Question")), \#(errors)}}},
      "/v1/questions/{question_id}": {
        "put": {"summary": "Replace a question (admin, curator); an option keeps its id while its text is unchanged", \#(auth),
          \#(id("question_id")), \#(body("QuestionInput")), "responses": {\#(ok(200, "Question")), \#(errors)}},
        "delete": {"summary": "Remove a question from its quiz (admin, curator); the rest close the gap, attempts that had it keep it", \#(auth),
          \#(id("question_id")), "responses": {"204": {"description": "removed"}, \#(errors)}}},
      "/v1/quizzes/{quiz_id}/questions/order": {"put": {"summary": "Reorder a quiz's questions (admin, curator): each of them exactly once",
        \#(auth), \#(id("quiz_id")), \#(body("QuestionOrder")), "responses": {\#(ok(200, "QuestionOrder")), \#(errors)}}},
      "/v1/quizzes/{quiz_id}/regrade": {"post": {"summary": "Re-score every submitted attempt with the current keys and points (admin, curator)",
        \#(auth), \#(id("quiz_id")), "responses": {\#(ok(200, "RegradeSummary")), \#(errors)}}},
      "/v1/quizzes/{quiz_id}/attempts": {
        "post": {"summary": "Start an attempt (student): questions without answers, in the attempt's stable order", \#(auth),
          \#(id("quiz_id")), "responses": {\#(ok(201, "Attempt")), \#(conflict("no attempts left, or the quiz has no questions")), \#(errors)}},
        "get": {"summary": "Attempts newest first: a student's own; staff everyone's (optionally ?user_id=)", \#(auth),
          "parameters": [{"name": "quiz_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}, \#(limit),
            \#(cursor), {"name": "user_id", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
          "responses": {\#(ok(200, "AttemptList")), \#(errors)}}},
      "/v1/attempts/{attempt_id}": {"get": {"summary": "One attempt (its owner or staff), with graded answers once submitted", \#(auth),
        \#(id("attempt_id")), "responses": {\#(ok(200, "Attempt")), \#(errors)}}},
      "/v1/attempts/{attempt_id}/submit": {"post": {"summary": "Submit answers (the owner); graded on the server, expired when late", \#(auth),
        \#(id("attempt_id")), \#(body("AttemptSubmission")),
        "responses": {\#(ok(200, "Attempt")), \#(conflict("already submitted")), \#(errors)}}},
      "/v1/attempts/{attempt_id}/review": {"post": {"summary": "Score the essays of an attempt pending review (admin, curator)", \#(auth),
        \#(id("attempt_id")), \#(body("AttemptReview")),
        "responses": {\#(ok(200, "Attempt")), \#(conflict("the attempt is not pending review")), \#(errors)}}},
      "/v1/lessons/{lesson_id}/assignment": {
        "post": {"summary": "Create the assignment of an assignment lesson (admin, curator)", \#(auth), \#(id("lesson_id")),
          \#(body("AssignmentInput")), "responses": {\#(ok(201, "Assignment")), \#(conflict("not an assignment lesson, or it already has one")), \#(errors)}},
        "get": {"summary": "The lesson's assignment", \#(auth), \#(id("lesson_id")), "responses": {\#(ok(200, "Assignment")), \#(errors)}}},
      "/v1/assignments/{assignment_id}": {
        "get": {"summary": "An assignment (students: published lessons only)", \#(auth), \#(id("assignment_id")),
          "responses": {\#(ok(200, "Assignment")), \#(errors)}},
        "patch": {"summary": "Change an assignment (admin, curator)", \#(auth), \#(id("assignment_id")), \#(body("AssignmentInput")),
          "responses": {\#(ok(200, "Assignment")), \#(errors)}}},
      "/v1/assignments/{assignment_id}/submission": {
        "put": {"summary": "Hand in or replace the student's submission until it is graded", \#(auth), \#(id("assignment_id")),
          \#(body("SubmissionInput")), "responses": {\#(ok(200, "Submission")), \#(conflict("already graded")),
            "422": {"description": "past the due date of an assignment that rejects late work", \#(PlatformOpenAPI.problemContent)}, \#(errors)}},
        "get": {"summary": "The student's own submission", \#(auth), \#(id("assignment_id")), "responses": {\#(ok(200, "Submission")), \#(errors)}}},
      "/v1/assignments/{assignment_id}/submissions": {"get": {"summary": "Every submission, newest hand-in first (admin, curator)", \#(auth),
        "parameters": [{"name": "assignment_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}, \#(limit),
          \#(cursor)],
        "responses": {\#(ok(200, "SubmissionList")), \#(errors)}}},
      "/v1/submissions/{submission_id}": {"get": {"summary": "One submission (its owner or staff)", \#(auth), \#(id("submission_id")),
        "responses": {\#(ok(200, "Submission")), \#(errors)}}},
      "/v1/submissions/{submission_id}/grade": {"post": {"summary": "Grade once (admin, curator); a late penalty applies under accept_with_penalty",
        \#(auth), \#(id("submission_id")), \#(body("Grade")), "responses": {\#(ok(200, "Submission")), \#(conflict("already graded")), \#(errors)}}}
    }
    """#

    static let schemas = #"""
    {
      "QuizInput": {"type": "object", "properties": {
        "title": {"type": "string", "maxLength": 300}, "description": {"type": "string", "maxLength": 20000},
        "passing_score": {"type": "integer", "minimum": 0, "maximum": 100},
        "time_limit_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 1440},
        "max_attempts": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000},
        "shuffle_questions": {"type": "boolean"}, "shuffle_answers": {"type": "boolean"},
        "show_correct_answers": {"type": "string", "enum": ["never", "after_submit", "after_pass"]}}},
      "Quiz": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "lesson_id": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "title": {"type": "string"}, "description": {"type": "string"}, "passing_score": {"type": "integer"},
        "time_limit_minutes": {"type": "integer"}, "max_attempts": {"type": "integer"}, "shuffle_questions": {"type": "boolean"},
        "shuffle_answers": {"type": "boolean"}, "show_correct_answers": {"type": "string"}, "question_count": {"type": "integer"},
        "max_score": {"type": "integer"}, "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        "standing": {"type": "object", "properties": {"attempts_used": {"type": "integer"}, "attempts_left": {"type": "integer"},
          "passed": {"type": "boolean"}, "best_percentage": {"type": "number"}}}}},
      "QuestionInput": {"type": "object", "required": ["type", "text"], "properties": {
        "type": {"type": "string", "enum": ["single_choice", "multiple_choice", "true_false", "short_answer", "essay"]},
        "text": {"type": "string", "maxLength": 5000}, "points": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 1},
        "explanation": {"type": "string", "maxLength": 5000},
        "options": {"type": "array", "maxItems": 20, "items": {"type": "object", "required": ["text", "is_correct"],
          "properties": {"text": {"type": "string", "maxLength": 1000}, "is_correct": {"type": "boolean"}}}},
        "accepted_answers": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 500}}}},
      "Question": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "position": {"type": "integer"},
        "type": {"type": "string"}, "text": {"type": "string"}, "points": {"type": "integer"}, "explanation": {"type": "string"},
        "options": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"},
          "text": {"type": "string"}, "is_correct": {"type": "boolean"}}}},
        "accepted_answers": {"type": "array", "items": {"type": "string"}}}},
      "Attempt": {"type": "object", "required": ["id", "quiz_id", "user_id", "number", "status", "started_at"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "quiz_id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
        "number": {"type": "integer"}, "status": {"type": "string", "enum": ["in_progress", "pending_review", "passed", "failed", "expired"]},
        "started_at": {"type": "string", "format": "date-time"}, "deadline_at": {"type": "string", "format": "date-time"},
        "submitted_at": {"type": "string", "format": "date-time"}, "score": {"type": "integer"}, "max_score": {"type": "integer"},
        "percentage": {"type": "number"}, "passing_score": {"type": "integer"}, "answers_revealed": {"type": "boolean"},
        "questions": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"},
          "type": {"type": "string"}, "text": {"type": "string"}, "points": {"type": "integer"},
          "options": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "text": {"type": "string"}}}}}}},
        "answers": {"type": "array", "items": {"type": "object", "properties": {"question_id": {"type": "string", "format": "uuid"},
          "option_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}, "text": {"type": "string"},
          "points": {"type": "integer"}, "is_correct": {"type": "boolean"}, "feedback": {"type": "string"}, "explanation": {"type": "string"},
          "correct_option_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
          "accepted_answers": {"type": "array", "items": {"type": "string"}}}}}}},
      "AttemptList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Attempt"}},
        "next_cursor": {"type": "string", "description": "absent on the last page"}}},
      "QuestionOrder": {"type": "object", "required": ["question_ids"], "properties": {"question_ids": {"type": "array", "minItems": 1,
        "maxItems": 1000, "uniqueItems": true, "items": {"type": "string", "format": "uuid"}}}},
      "RegradeSummary": {"type": "object", "required": ["attempts_regraded", "scores_changed", "newly_passed"], "properties": {
        "attempts_regraded": {"type": "integer"}, "scores_changed": {"type": "integer"}, "newly_passed": {"type": "integer"}}},
      "AttemptSubmission": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "array", "items": {"type": "object",
        "required": ["question_id"], "properties": {"question_id": {"type": "string", "format": "uuid"},
          "option_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}, "text": {"type": "string", "maxLength": 20000}}}}}},
      "AttemptReview": {"type": "object", "required": ["scores"], "properties": {"scores": {"type": "array", "items": {"type": "object",
        "required": ["question_id", "points"], "properties": {"question_id": {"type": "string", "format": "uuid"},
          "points": {"type": "integer", "minimum": 0}, "feedback": {"type": "string", "maxLength": 5000}}}}}},
      "AssignmentInput": {"type": "object", "properties": {"title": {"type": "string", "maxLength": 300},
        "instructions": {"type": "string", "maxLength": 50000}, "due_at": {"type": ["string", "null"], "format": "date-time"},
        "late_policy": {"type": "string", "enum": ["accept", "accept_with_penalty", "reject"]},
        "late_penalty_percent": {"type": "integer", "minimum": 0, "maximum": 100}, "max_points": {"type": "integer", "minimum": 1, "maximum": 10000}}},
      "Assignment": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "lesson_id": {"type": "string", "format": "uuid"},
        "course_id": {"type": "string", "format": "uuid"}, "title": {"type": "string"}, "instructions": {"type": "string"},
        "due_at": {"type": "string", "format": "date-time"}, "late_policy": {"type": "string"}, "late_penalty_percent": {"type": "integer"},
        "max_points": {"type": "integer"}}},
      "SubmissionInput": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 100000},
        "attachment_urls": {"type": "array", "maxItems": 10, "items": {"type": "string", "format": "uri"}}}},
      "Submission": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "assignment_id": {"type": "string", "format": "uuid"},
        "user_id": {"type": "string", "format": "uuid"}, "text": {"type": "string"}, "attachment_urls": {"type": "array", "items": {"type": "string"}},
        "submission_number": {"type": "integer"}, "is_late": {"type": "boolean"}, "status": {"type": "string", "enum": ["submitted", "graded"]},
        "first_submitted_at": {"type": "string", "format": "date-time"}, "submitted_at": {"type": "string", "format": "date-time"},
        "raw_score": {"type": "integer"}, "penalty_percent": {"type": "integer"}, "score": {"type": "number"}, "max_points": {"type": "integer"},
        "feedback": {"type": "string"}, "graded_by": {"type": "string", "format": "uuid"}, "graded_at": {"type": "string", "format": "date-time"}}},
      "SubmissionList": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Submission"}},
        "next_cursor": {"type": "string", "description": "absent on the last page"}}},
      "Grade": {"type": "object", "required": ["score"], "properties": {"score": {"type": "integer", "minimum": 0},
        "feedback": {"type": "string", "maxLength": 20000}}}
    }
    """#
}
