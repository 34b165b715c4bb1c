import ServiceKit

/// Tripwire students and sales figures in the leads service's OpenAPI document.
enum SalesOpenAPI {
    private static func problem(_ status: Int, _ why: String) -> String {
        #""\#(status)": {"description": "\#(why)", \#(PlatformOpenAPI.problemContent)}"#
    }
    private static func ok(_ status: Int, _ why: String, _ schema: String) -> String {
        ##""\##(status)": {"description": "\##(why)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}}"##
    }
    private static let staff = problem(401, "no token") + ", " + problem(403, "not admin or sales_manager, or a sales manager naming another manager")
    private static let auth = #""security": [{"bearer": []}]"#
    private static let uuid = #""schema": {"type": "string", "format": "uuid"}"#
    private static let manager = #"{"name": "manager_id", "in": "path", "required": true, "description": "a manager's id, or me", "schema": {"type": "string"}}"#
    private static let student = #"{"name": "student_id", "in": "path", "required": true, \#(uuid)}"#
    private static let page = #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}, {"name": "cursor", "in": "query", "schema": {"type": "string"}}"#
    private static let managerFilter = #"{"name": "manager_id", "in": "query", "description": "admins: one manager (absent: everyone); sales managers: only themselves", "schema": {"type": "string"}}"#

    static let paths = #"""
    {
      "/v1/tripwire/students": {
        "post": {"summary": "Grant a person the tripwire course (admin, sales_manager): the student is the caller's; leads.student_granted enrols them in the learning service", \#(auth),
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GrantInput"}}}},
          "responses": {\#(ok(201, "a new student", "GrantResult")), \#(ok(200, "this manager already granted this person (created=false); nothing changed", "GrantResult")),
            \#(problem(400, "malformed body or a missing field (named)")), \#(staff),
            \#(problem(409, "the person is another manager's student, or the user id belongs to another email (field named)")),
            \#(problem(422, "invalid email, empty or long full_name, price outside 0…1e9 or with more than 2 decimals (named)")),
            \#(problem(503, "LEADS_TRIPWIRE_COURSE is not set"))}},
        "get": {"summary": "Tripwire students newest first (sales managers: their own; admins: everyone's or one manager's)", \#(auth),
          "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "inactive", "completed"]}}, \#(managerFilter), \#(page)],
          "responses": {"200": {"description": "a page (items of TripwireStudent, next_cursor)"}, \#(problem(400, "a bad filter or cursor (named)")), \#(staff)}}
      },
      "/v1/tripwire/students/{student_id}": {
        "get": {"summary": "One tripwire student", \#(auth), "parameters": [\#(student)],
          "responses": {\#(ok(200, "the student", "TripwireStudent")), \#(problem(400, "malformed id")), \#(staff),
            \#(problem(404, "no such student, or another manager's"))}},
        "patch": {"summary": "Deactivate a student or take them back (logged as user_status_updated)", \#(auth), "parameters": [\#(student)],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"],
            "properties": {"status": {"type": "string", "enum": ["active", "inactive"]}}}}}},
          "responses": {\#(ok(200, "the student as it is now", "TripwireStudent")), \#(problem(400, "malformed id or body")), \#(staff),
            \#(problem(404, "no such student, or another manager's")), \#(problem(409, "the student completed the course")),
            \#(problem(422, "status is not active or inactive"))}}
      },
      "/v1/sales/managers/{manager_id}/stats": {"get": {"summary": "A manager's students, revenue, completion rate and this month's figures", \#(auth),
        "parameters": [\#(manager)],
        "responses": {\#(ok(200, "the figures", "ManagerStats")), \#(problem(400, "manager_id is not a UUID or me")), \#(staff)}}},
      "/v1/sales/managers/{manager_id}/activity": {"get": {"summary": "A manager's actions newest first (default limit 50)", \#(auth),
        "parameters": [\#(manager), \#(page)],
        "responses": {"200": {"description": "a page (items of Activity, next_cursor)"}, \#(problem(400, "bad manager_id, limit or cursor")), \#(staff)}}},
      "/v1/sales/leaderboard": {"get": {"summary": "Managers by students granted, then revenue (admin, sales_manager)", \#(auth),
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}}],
        "responses": {"200": {"description": "items of LeaderboardRow"}, \#(problem(400, "bad limit")), \#(staff)}}},
      "/v1/sales/chart": {"get": {"summary": "Students granted and revenue per day over the last N days (platform timezone), empty days included", \#(auth),
        "parameters": [{"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366, "default": 30}}, \#(managerFilter)],
        "responses": {"200": {"description": "items of ChartDay, oldest first, today last"}, \#(problem(400, "bad days or manager_id")), \#(staff)}}}
    }
    """#

    static let schemas = #"""
    {
      "GrantInput": {"type": "object", "required": ["email", "full_name", "price"], "properties": {
        "email": {"type": "string", "maxLength": 254}, "full_name": {"type": "string", "maxLength": 200},
        "price": {"type": "number", "minimum": 0, "maximum": 1000000000, "description": "exact decimal, at most 2 places"},
        "user_id": {"type": "string", "format": "uuid", "description": "the person's platform account, when they have one"}}},
      "TripwireStudent": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"}, "email": {"type": "string"},
        "full_name": {"type": "string"}, "granted_by": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "price": {"type": "string", "description": "decimal string"}, "status": {"type": "string", "enum": ["active", "inactive", "completed"]},
        "completed_at": {"type": "string", "format": "date-time"}, "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"}}},
      "GrantResult": {"type": "object", "properties": {"created": {"type": "boolean"}, "student": {"$ref": "#/components/schemas/TripwireStudent"}}},
      "ManagerStats": {"type": "object", "properties": {
        "manager_id": {"type": "string", "format": "uuid"}, "total_students": {"type": "integer"}, "active_students": {"type": "integer"},
        "completed_students": {"type": "integer"}, "total_revenue": {"type": "string"}, "avg_completion_rate": {"type": "number"},
        "students_this_month": {"type": "integer"}, "revenue_this_month": {"type": "string"}}},
      "LeaderboardRow": {"type": "object", "properties": {
        "rank": {"type": "integer"}, "manager_id": {"type": "string", "format": "uuid"}, "total_students": {"type": "integer"},
        "active_students": {"type": "integer"}, "completed_students": {"type": "integer"}, "total_revenue": {"type": "string"},
        "avg_completion_rate": {"type": "number"}}},
      "ChartDay": {"type": "object", "properties": {
        "date": {"type": "string", "format": "date"}, "students_created": {"type": "integer"}, "revenue": {"type": "string"}}},
      "Activity": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid"}, "action_type": {"type": "string", "enum": ["user_created", "user_status_updated"]},
        "target_user_id": {"type": "string", "format": "uuid"}, "target_user_email": {"type": "string"}, "target_user_name": {"type": "string"},
        "details": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"}}}
    }
    """#
}
