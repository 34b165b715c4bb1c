import ServiceKit

/// Enrollment, purchases, watching, certificates and learners in learning's OpenAPI document.
enum EnrollmentOpenAPI {
    private static let id = CatalogOpenAPI.id
    private static let auth = CatalogOpenAPI.authored
    private static let errors = CatalogOpenAPI.errors
    private static func ok(_ status: Int, _ schema: String) -> String { CatalogOpenAPI.ok(status, schema) }
    private static func body(_ schema: String) -> String { CatalogOpenAPI.body(schema) }
    private static func problem(_ status: Int, _ why: String) -> String {
        #""\#(status)": {"description": "\#(why)", \#(PlatformOpenAPI.problemContent)}"#
    }
    private static let page = #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}, {"name": "cursor", "in": "query", "schema": {"type": "string"}}"#
    private static let access = problem(403, "not enrolled (enrollment-required), earlier module open (module-locked) or prerequisites missing; each names what")
        + ", " + problem(402, "a paid course without a successful purchase")

    static let paths = #"""
    {
      "/v1/lessons/{lesson_id}/progress": {"post": {"summary": "Record time on a lesson (in_progress until it completes)", \#(auth),
        "parameters": [{"name": "lesson_id", \#(id)}], \#(body("TimeSpent")), "responses": {\#(ok(200, "LessonProgress")), \#(access), \#(errors)}}},
      "/v1/lessons/{lesson_id}/watch": {
        "post": {"summary": "Report watched segments; the server merges unique seconds and completes the lesson at its threshold", \#(auth),
          "parameters": [{"name": "lesson_id", \#(id)}], \#(body("WatchReport")),
          "responses": {\#(ok(200, "Watch")), \#(access), \#(problem(409, "not a video lesson, or one without a duration")), \#(errors)}},
        "get": {"summary": "Watching so far (students: their own; staff: ?user_id=)", \#(auth),
          "parameters": [{"name": "lesson_id", \#(id)}, {"name": "user_id", "in": "query", "schema": {"type": "string", "format": "uuid"}}],
          "responses": {\#(ok(200, "Watch")), \#(errors)}}},
      "/v1/courses/{course_id}/enrollment": {
        "post": {"summary": "Enroll in a published course (free; paid ones need a purchase). 201 new, 200 already enrolled", \#(auth),
          "parameters": [{"name": "course_id", \#(id)}],
          "responses": {\#(ok(201, "Enrollment")), \#(ok(200, "Enrollment")), \#(access), \#(errors)}},
        "delete": {"summary": "Drop the course; progress is kept for a return", \#(auth), "parameters": [{"name": "course_id", \#(id)}],
          "responses": {\#(ok(200, "Enrollment")), \#(errors)}}},
      "/v1/enrollments": {"post": {"summary": "Grant access without a purchase: promotional, gifted or free (admin, service)", \#(auth),
        \#(body("EnrollmentGrant")), "responses": {\#(ok(201, "Enrollment")), \#(ok(200, "Enrollment")), \#(errors)}}},
      "/v1/users/{user_id}/enrollments": {"get": {"summary": "A learner's enrollments with progress, newest first (self, curator, admin)", \#(auth),
        "parameters": [{"name": "user_id", \#(id)}, \#(page)], "responses": {\#(ok(200, "EnrollmentPage")), \#(errors)}}},
      "/v1/users/{user_id}/enrollments/{course_id}": {"get": {"summary": "One enrollment with every module's and lesson's progress", \#(auth),
        "parameters": [{"name": "user_id", \#(id)}, {"name": "course_id", \#(id)}], "responses": {\#(ok(200, "Enrollment")), \#(errors)}}},
      "/v1/purchases": {
        "post": {"summary": "Record a payment (admin, service); success enrolls the learner. Same gateway_payment_id again: 200, differing: 409", \#(auth),
          \#(body("PurchaseInput")), "responses": {\#(ok(201, "Purchase")), \#(ok(200, "Purchase")), \#(problem(409, "gateway payment recorded differently")), \#(errors)}},
        "get": {"summary": "Purchases, newest first (staff filter by user_id, course_id; students see their own)", \#(auth),
          "parameters": [{"name": "user_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
            {"name": "course_id", "in": "query", "schema": {"type": "string", "format": "uuid"}}, \#(page)],
          "responses": {\#(ok(200, "PurchasePage")), \#(errors)}}},
      "/v1/purchases/{purchase_id}": {
        "get": {"summary": "One purchase (a student's own only)", \#(auth), "parameters": [{"name": "purchase_id", \#(id)}],
          "responses": {\#(ok(200, "Purchase")), \#(errors)}},
        "patch": {"summary": "pending → success|failed, success → refunded (a refund ends the access it gave)", \#(auth),
          "parameters": [{"name": "purchase_id", \#(id)}], \#(body("PurchaseUpdate")),
          "responses": {\#(ok(200, "Purchase")), \#(problem(409, "a transition that is not allowed")), \#(errors)}}},
      "/v1/certificates/verify/{code}": {"get": {"summary": "Public: is this certificate valid or revoked, whose and for what",
        "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {\#(ok(200, "Certificate")), \#(errors)}}},
      "/v1/users/{user_id}/certificates": {"get": {"summary": "A learner's certificates (self, curator, admin)", \#(auth),
        "parameters": [{"name": "user_id", \#(id)}], "responses": {\#(ok(200, "Certificates")), \#(errors)}}},
      "/v1/certificates/{certificate_id}/revoke": {"post": {"summary": "Revoke with a reason (admin)", \#(auth),
        "parameters": [{"name": "certificate_id", \#(id)}], \#(body("Revocation")), "responses": {\#(ok(200, "Certificate")), \#(errors)}}},
      "/v1/learners/{user_id}": {
        "get": {"summary": "A learner's profile (self, curator, admin)", \#(auth), "parameters": [{"name": "user_id", \#(id)}],
          "responses": {\#(ok(200, "Learner")), \#(errors)}},
        "put": {"summary": "Set the name printed on certificates (self, admin)", \#(auth), "parameters": [{"name": "user_id", \#(id)}],
          \#(body("LearnerInput")), "responses": {\#(ok(200, "Learner")), \#(errors)}}},
      "/v1/users/{user_id}/stats": {"get": {"summary": "Courses enrolled and completed, lessons completed, learning hours, last activity", \#(auth),
        "parameters": [{"name": "user_id", \#(id)}], "responses": {\#(ok(200, "LearnerStats")), \#(errors)}}}
    }
    """#

    static let schemas = #"""
    {
      "TimeSpent": {"type": "object", "required": ["time_spent_seconds"], "properties": {"time_spent_seconds": {"type": "integer", "minimum": 0, "maximum": 86400}}},
      "LessonProgress": {"type": "object", "properties": {"lesson_id": {"type": "string", "format": "uuid"}, "title": {"type": "string"},
        "content_type": {"type": "string"}, "is_required": {"type": "boolean"},
        "status": {"type": "string", "enum": ["not_started", "in_progress", "completed"]}, "time_spent_seconds": {"type": "integer"},
        "completed_at": {"type": "string", "format": "date-time"}}},
      "WatchReport": {"type": "object", "required": ["segments"], "properties": {"segments": {"type": "array", "maxItems": 500,
        "items": {"type": "object", "required": ["start", "end"], "properties": {"start": {"type": "number", "minimum": 0}, "end": {"type": "number"}}}}}},
      "Watch": {"type": "object", "properties": {"lesson_id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
        "duration_seconds": {"type": "integer"}, "watched_seconds": {"type": "number", "description": "unique seconds"},
        "coverage_percent": {"type": "number"}, "threshold_percent": {"type": "integer"},
        "segments": {"type": "array", "items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}},
        "qualified_at": {"type": "string", "format": "date-time"}, "lesson_completion": {"$ref": "#/components/schemas/LessonCompletion"}}},
      "EnrollmentGrant": {"type": "object", "required": ["user_id", "course_id", "enrollment_type"], "properties": {
        "user_id": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "enrollment_type": {"type": "string", "enum": ["promotional", "gifted", "free"]}}},
      "Enrollment": {"type": "object", "properties": {"user_id": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "course_title": {"type": "string"}, "enrollment_type": {"type": "string", "enum": ["free", "paid", "promotional", "gifted"]},
        "status": {"type": "string", "enum": ["enrolled", "in_progress", "completed", "dropped"]}, "purchase_id": {"type": "string", "format": "uuid"},
        "enrolled_at": {"type": "string", "format": "date-time"}, "started_at": {"type": "string", "format": "date-time"},
        "completed_at": {"type": "string", "format": "date-time"}, "last_accessed_at": {"type": "string", "format": "date-time"},
        "ended_reason": {"type": "string", "enum": ["dropped", "refunded", "revoked"]}, "ended_at": {"type": "string", "format": "date-time"},
        "lessons_total": {"type": "integer"}, "lessons_completed": {"type": "integer"}, "required_lessons": {"type": "integer"},
        "required_completed": {"type": "integer"}, "progress_percent": {"type": "number"}, "time_spent_seconds": {"type": "integer"},
        "certificate_code": {"type": "string"},
        "modules": {"type": "array", "items": {"type": "object", "properties": {"module_id": {"type": "string", "format": "uuid"},
          "title": {"type": "string"}, "unlocked": {"type": "boolean"},
          "lessons": {"type": "array", "items": {"$ref": "#/components/schemas/LessonProgress"}}}}}}},
      "EnrollmentPage": {"type": "object", "required": ["items"], "properties": {"next_cursor": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Enrollment"}}}},
      "PurchaseInput": {"type": "object", "required": ["user_id", "course_id", "amount", "currency", "method"], "properties": {
        "user_id": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "amount": {"type": "number", "minimum": 0}, "discount": {"type": "number", "minimum": 0},
        "final_amount": {"type": "number", "description": "must equal amount − discount"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "method": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"}, "gateway_payment_id": {"type": "string", "maxLength": 200},
        "status": {"type": "string", "enum": ["pending", "success", "failed"], "default": "success"}}},
      "PurchaseUpdate": {"type": "object", "required": ["status"], "properties": {
        "status": {"type": "string", "enum": ["success", "failed", "refunded"]}, "reason": {"type": "string", "maxLength": 2000}}},
      "Purchase": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
        "course_id": {"type": "string", "format": "uuid"}, "amount": {"type": "string"}, "discount": {"type": "string"},
        "final_amount": {"type": "string"}, "currency": {"type": "string"}, "method": {"type": "string"}, "gateway_payment_id": {"type": "string"},
        "status": {"type": "string", "enum": ["pending", "success", "failed", "refunded"]}, "refund_reason": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"}, "completed_at": {"type": "string", "format": "date-time"},
        "refunded_at": {"type": "string", "format": "date-time"}}},
      "PurchasePage": {"type": "object", "required": ["items"], "properties": {"next_cursor": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Purchase"}}}},
      "Certificate": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "code": {"type": "string"},
        "status": {"type": "string", "enum": ["valid", "revoked"]}, "valid": {"type": "boolean"}, "user_id": {"type": "string", "format": "uuid"},
        "holder_name": {"type": "string"}, "course_id": {"type": "string", "format": "uuid"}, "course_title": {"type": "string"},
        "issued_at": {"type": "string", "format": "date-time"}, "revoked_at": {"type": "string", "format": "date-time"},
        "revoke_reason": {"type": "string"}}},
      "Certificates": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Certificate"}}}},
      "Revocation": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 2000}}},
      "LearnerInput": {"type": "object", "required": ["display_name"], "properties": {"display_name": {"type": "string", "maxLength": 200}}},
      "Learner": {"type": "object", "properties": {"user_id": {"type": "string", "format": "uuid"}, "display_name": {"type": "string"},
        "updated_at": {"type": "string", "format": "date-time"}}},
      "LearnerStats": {"type": "object", "properties": {"user_id": {"type": "string", "format": "uuid"}, "courses_enrolled": {"type": "integer"},
        "courses_in_progress": {"type": "integer"}, "courses_completed": {"type": "integer"}, "lessons_completed": {"type": "integer"},
        "certificates": {"type": "integer"}, "learning_seconds": {"type": "integer"}, "learning_hours": {"type": "number"},
        "last_activity_at": {"type": "string", "format": "date-time"}}}
    }
    """#
}
