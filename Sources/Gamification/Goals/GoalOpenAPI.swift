import ServiceKit

enum GoalOpenAPI {
    static let user = #"{"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let goal = #"{"name": "goal_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}"#
    static let page = #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}, {"name": "cursor", "in": "query", "schema": {"type": "string"}}"#
    static let errors = #"""
        "400": {"description": "bad input, naming the field", \#(PlatformOpenAPI.problemContent)},
        "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
        "403": {"description": "another learner's goals, or a role that may not", \#(PlatformOpenAPI.problemContent)}
        """#
    static func json(_ schema: String) -> String { ##"{"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}"## }

    static let paths = #"""
        {
          "/v1/users/{user_id}/goals": {
            "post": {"summary": "Create a goal (the learner, or an admin)", "security": [{"bearer": []}], "parameters": [\#(user)],
              "requestBody": {"required": true, "content": \#(json("GoalInput"))},
              "responses": {"201": {"description": "the goal", "content": \#(json("Goal"))}, \#(errors)}},
            "get": {"summary": "A learner's goals, newest first", "security": [{"bearer": []}],
              "parameters": [\#(user), {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["todo", "in_progress", "done"]}}, \#(page)],
              "responses": {"200": {"description": "a page", "content": \#(json("GoalPage"))}, \#(errors)}}},
          "/v1/goals/{goal_id}": {
            "get": {"summary": "A goal (the owner, staff)", "security": [{"bearer": []}], "parameters": [\#(goal)],
              "responses": {"200": {"description": "the goal", "content": \#(json("Goal"))}, "404": {"description": "no such goal of yours", \#(PlatformOpenAPI.problemContent)}, \#(errors)}},
            "patch": {"summary": "Change a goal (the owner, an admin); done the first time sends goal_completed", "security": [{"bearer": []}], "parameters": [\#(goal)],
              "requestBody": {"required": true, "content": \#(json("GoalInput"))},
              "responses": {"200": {"description": "the goal", "content": \#(json("Goal"))}, "404": {"description": "no such goal of yours", \#(PlatformOpenAPI.problemContent)}, \#(errors)}},
            "delete": {"summary": "Delete a goal (the owner, an admin)", "security": [{"bearer": []}], "parameters": [\#(goal)],
              "responses": {"204": {"description": "deleted"}, "404": {"description": "no such goal of yours", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
          "/v1/users/{user_id}/goal-reports": {"get": {"summary": "A learner's weekly goal reports, newest week first", "security": [{"bearer": []}],
            "parameters": [\#(user), \#(page)], "responses": {"200": {"description": "a page", "content": \#(json("GoalReportPage"))}, \#(errors)}}},
          "/v1/goal-reports/generate": {"post": {"summary": "Write missing weekly reports now (admin): for `week_start` (a Monday), or each learner's last complete week",
            "security": [{"bearer": []}],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"week_start": {"type": "string", "format": "date"}}}}}},
            "responses": {"200": {"description": "how many were written", "content": {"application/json": {"schema": {"type": "object",
              "properties": {"reports_written": {"type": "integer"}}}}}}, \#(errors)}}}
        }
        """#

    static let schemas = #"""
        {
          "GoalInput": {"type": "object", "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 300, "description": "required to create"},
            "description": {"type": "string", "maxLength": 5000}, "status": {"type": "string", "enum": ["todo", "in_progress", "done"]},
            "priority": {"type": "string", "enum": ["low", "medium", "high"]}, "category": {"type": ["string", "null"], "maxLength": 100},
            "due_date": {"type": ["string", "null"], "format": "date"}}},
          "Goal": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"},
            "title": {"type": "string"}, "description": {"type": "string"}, "status": {"type": "string"}, "priority": {"type": "string"},
            "category": {"type": "string"}, "due_date": {"type": "string", "format": "date"}, "overdue": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
            "completed_at": {"type": "string", "format": "date-time"}}},
          "GoalPage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Goal"}}, "next_cursor": {"type": "string"}}},
          "GoalReport": {"type": "object", "properties": {"user_id": {"type": "string", "format": "uuid"}, "week_start": {"type": "string", "format": "date"},
            "week_end": {"type": "string", "format": "date"}, "goals_created": {"type": "integer"}, "goals_completed": {"type": "integer"},
            "goals_in_progress": {"type": "integer"}, "goals_overdue": {"type": "integer"}, "xp_earned": {"type": "integer"},
            "achievements_unlocked": {"type": "array", "items": {"type": "string"}}, "created_at": {"type": "string", "format": "date-time"}}},
          "GoalReportPage": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/GoalReport"}}, "next_cursor": {"type": "string"}}}
        }
        """#
}
