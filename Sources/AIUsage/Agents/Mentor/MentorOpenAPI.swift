import ServiceKit

/// The OpenAPI paths and schemas of mentor sessions, their messages and the mentor's tasks.
enum MentorOpenAPI {
    static let sessionID = AgentOpenAPI.uuidPath("session_id")
    static let problem = PlatformOpenAPI.problemContent

    static let paths = #"""
        {
          "/v1/mentor/sessions": {
            "post": {
              "summary": "Open a session of the AI mentor with a learner (curator, admin, service)",
              "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorSessionInput"}}}},
              "responses": {
                "201": {"description": "the session (active)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorSession"}}}},
                "400": {"description": "empty or malformed body, a wrong type (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "422": {"description": "student_id missing, unknown session_type, JSON of the wrong shape (named)", \#(problem)}
              }},
            "get": {
              "summary": "Sessions newest first: a student's own; everyone's for curator, admin, tech_support, service",
              "security": [{"bearer": []}],
              "parameters": [
                {"name": "student_id", "in": "query", "schema": {"type": "string", "format": "uuid"}, "description": "a student may name only themselves"},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "completed", "cancelled"]}},
                \#(AgentOpenAPI.pageParameters)
              ],
              "responses": {
                "200": {"description": "a page of sessions", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "MentorSession"))}}},
                "400": {"description": "a bad filter, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems)
              }}
          },
          "/v1/mentor/sessions/{session_id}": {
            "get": {
              "summary": "A session (a student: only their own; another learner's is 404)",
              "security": [{"bearer": []}],
              "parameters": [\#(sessionID)],
              "responses": {
                "200": {"description": "the session", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorSession"}}}},
                "400": {"description": "session_id is not a UUID", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such session, or another learner's", \#(problem)}
              }},
            "patch": {
              "summary": "End an active session (completed or cancelled; sets completed_at) and/or replace recommendations, action_items, follow_up_date (curator, admin, service)",
              "security": [{"bearer": []}],
              "parameters": [\#(sessionID)],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorSessionChange"}}}},
              "responses": {
                "200": {"description": "the session as it is now", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorSession"}}}},
                "400": {"description": "empty or malformed body, a wrong type (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such session", \#(problem)},
                "409": {"description": "the session already ended (field status)", \#(problem)},
                "422": {"description": "unknown status, nothing to change, JSON of the wrong shape (named)", \#(problem)}
              }}
          },
          "/v1/mentor/sessions/{session_id}/messages": {
            "post": {
              "summary": "Add a message (a student: role user, in their own sessions)",
              "security": [{"bearer": []}],
              "parameters": [\#(sessionID)],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorMessageInput"}}}},
              "responses": {
                "201": {"description": "the message", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorMessage"}}}},
                "400": {"description": "empty or malformed body, a wrong type, session_id not a UUID (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such session, or another learner's", \#(problem)},
                "422": {"description": "unknown role, empty or over-long content, metadata not an object (named)", \#(problem)}
              }},
            "get": {
              "summary": "A session's messages oldest first",
              "security": [{"bearer": []}],
              "parameters": [\#(sessionID), \#(AgentOpenAPI.pageParameters)],
              "responses": {
                "200": {"description": "a page of messages", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "MentorMessage"))}}},
                "400": {"description": "a bad session_id, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such session, or another learner's", \#(problem)}
              }}
          },
          "/v1/mentor/tasks": {
            "post": {
              "summary": "Give the AI mentor a task about a learner (curator, admin, service)",
              "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorTaskInput"}}}},
              "responses": {
                "201": {"description": "the task (pending)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorTask"}}}},
                "400": {"description": "empty or malformed body, a wrong type (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "422": {"description": "unknown triggered_by or priority, empty or over-long task_type or description (named)", \#(problem)}
              }},
            "get": {
              "summary": "Tasks newest first (curator, admin, service; a student: only those about themselves)",
              "security": [{"bearer": []}],
              "parameters": [
                {"name": "student_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "in_progress", "completed", "cancelled"]}},
                {"name": "priority", "in": "query", "schema": {"type": "string", "enum": ["low", "medium", "high", "urgent"]}},
                \#(AgentOpenAPI.pageParameters)
              ],
              "responses": {
                "200": {"description": "a page of tasks", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "MentorTask"))}}},
                "400": {"description": "a bad filter, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems)
              }}
          },
          "/v1/mentor/tasks/{task_id}": {"patch": {
            "summary": "Move a task: pending -> in_progress -> completed (with an optional result; sets completed_at), or -> cancelled (curator, admin, service)",
            "security": [{"bearer": []}],
            "parameters": [\#(AgentOpenAPI.uuidPath("task_id"))],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorTaskChange"}}}},
            "responses": {
              "200": {"description": "the task as it is now (the same status again changes nothing)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentorTask"}}}},
              "400": {"description": "empty or malformed body, task_id not a UUID (field named)", \#(problem)},
              \#(AgentOpenAPI.commonProblems),
              "404": {"description": "no such task", \#(problem)},
              "409": {"description": "a move the task's status does not allow (field status)", \#(problem)},
              "422": {"description": "unknown status, result not an object or without completed (named)", \#(problem)}
            }}}
        }
        """#

    static let schemas = #"""
        {
          "MentorSessionInput": {"type": "object", "required": ["session_type"], "properties": {
            "student_id": {"type": "string", "format": "uuid"},
            "session_type": {"type": "string", "enum": ["learning_support", "motivation", "career_guidance", "progress_review", "problem_solving"]},
            "context_data": \#(AgentOpenAPI.json("achievements, progress, problems")),
            "recommendations": \#(AgentOpenAPI.json("recommendations", array: true)),
            "action_items": \#(AgentOpenAPI.json("concrete tasks", array: true)),
            "follow_up_date": {"type": "string", "format": "date-time"},
            "started_at": {"type": "string", "format": "date-time", "description": "default: now"}}},
          "MentorSessionChange": {"type": "object", "properties": {
            "status": {"type": "string", "enum": ["completed", "cancelled"]},
            "recommendations": \#(AgentOpenAPI.json("replaces the session's", array: true)),
            "action_items": \#(AgentOpenAPI.json("replaces the session's", array: true)),
            "follow_up_date": {"type": "string", "format": "date-time"}}},
          "MentorSession": {"type": "object", "required": ["id", "student_id", "session_type", "status", "started_at", "created_at", "updated_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "student_id": {"type": "string", "format": "uuid"},
            "session_type": {"type": "string"}, "context_data": {"type": "object"},
            "recommendations": {"type": ["object", "array"]}, "action_items": {"type": ["object", "array"]},
            "follow_up_date": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["active", "completed", "cancelled"]},
            "started_at": {"type": "string", "format": "date-time"},
            "completed_at": {"type": "string", "format": "date-time", "description": "when it was completed or cancelled"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}},
          "MentorMessageInput": {"type": "object", "required": ["role", "content"], "properties": {
            "role": {"type": "string", "enum": ["user", "mentor", "system"]},
            "content": {"type": "string", "minLength": 1, "maxLength": 100000},
            "metadata": \#(AgentOpenAPI.json("data used, sources"))}},
          "MentorMessage": {"type": "object", "required": ["id", "session_id", "role", "content", "created_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "session_id": {"type": "string", "format": "uuid"},
            "role": {"type": "string", "enum": ["user", "mentor", "system"]}, "content": {"type": "string"},
            "metadata": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"}}},
          "MentorTaskInput": {"type": "object", "required": ["triggered_by", "student_id", "task_type", "description"], "properties": {
            "triggered_by": {"type": "string", "enum": ["ai_curator_alert", "analyst_report", "admin_request", "scheduled", "student_request"]},
            "student_id": {"type": "string", "format": "uuid"},
            "task_type": {"type": "string", "minLength": 1, "maxLength": 100},
            "description": {"type": "string", "minLength": 1, "maxLength": 20000},
            "priority": {"type": "string", "enum": ["low", "medium", "high", "urgent"], "default": "medium"},
            "context_data": \#(AgentOpenAPI.json("what the task is about"))}},
          "MentorTaskChange": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string", "enum": ["pending", "in_progress", "completed", "cancelled"]},
            "result": \#(AgentOpenAPI.json("only with status completed"))}},
          "MentorTask": {"type": "object", "required": ["id", "triggered_by", "student_id", "task_type", "description", "priority", "status", "assigned_at", "created_at", "updated_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "triggered_by": {"type": "string"}, "student_id": {"type": "string", "format": "uuid"},
            "task_type": {"type": "string"}, "description": {"type": "string"}, "priority": {"type": "string"},
            "context_data": {"type": "object"}, "status": {"type": "string", "enum": ["pending", "in_progress", "completed", "cancelled"]},
            "assigned_at": {"type": "string", "format": "date-time"}, "completed_at": {"type": "string", "format": "date-time"},
            "result": {"type": "object"}, "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}}}
        }
        """#
}
