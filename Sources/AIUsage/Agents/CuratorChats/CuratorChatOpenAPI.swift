import ServiceKit

/// The OpenAPI paths and schemas of curator chats.
enum CuratorChatOpenAPI {
    static let chatID = AgentOpenAPI.uuidPath("chat_id")
    static let problem = PlatformOpenAPI.problemContent

    static let paths = #"""
        {
          "/v1/curator/chats": {
            "post": {
              "summary": "Open a chat with the AI curator (student for themselves; curator, admin, service for anyone)",
              "security": [{"bearer": []}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CuratorChatInput"}}}},
              "responses": {
                "201": {"description": "the chat", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CuratorChat"}}}},
                "400": {"description": "empty or malformed body, a wrong type (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "422": {"description": "user_id missing (staff), a title over 200 characters or with control characters", \#(problem)}
              }},
            "get": {
              "summary": "Chats newest first: a student's own; everyone's or one learner's for curator, admin, tech_support, service",
              "security": [{"bearer": []}],
              "parameters": [
                {"name": "user_id", "in": "query", "schema": {"type": "string", "format": "uuid"}, "description": "a student may name only themselves"},
                \#(AgentOpenAPI.pageParameters)
              ],
              "responses": {
                "200": {"description": "a page of chats", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "CuratorChat"))}}},
                "400": {"description": "a bad user_id, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems)
              }}
          },
          "/v1/curator/chats/{chat_id}": {"get": {
            "summary": "A chat (a student: only their own; another learner's is 404)",
            "security": [{"bearer": []}],
            "parameters": [\#(chatID)],
            "responses": {
              "200": {"description": "the chat", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CuratorChat"}}}},
              "400": {"description": "chat_id is not a UUID", \#(problem)},
              \#(AgentOpenAPI.commonProblems),
              "404": {"description": "no such chat, or another learner's", \#(problem)}
            }}},
          "/v1/curator/chats/{chat_id}/messages": {
            "post": {
              "summary": "Add a message; the chat's updated_at moves. A student writes only role user, without the mood analysis, in their own chats",
              "security": [{"bearer": []}],
              "parameters": [\#(chatID)],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CuratorMessageInput"}}}},
              "responses": {
                "201": {"description": "the message", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CuratorMessage"}}}},
                "400": {"description": "empty or malformed body, a wrong type, chat_id not a UUID (field named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such chat, or another learner's", \#(problem)},
                "422": {"description": "unknown role, mood or problem_type, empty or over-long content, confidence outside 0-1, indicators not an object (named)", \#(problem)}
              }},
            "get": {
              "summary": "A chat's messages oldest first",
              "security": [{"bearer": []}],
              "parameters": [\#(chatID), \#(AgentOpenAPI.pageParameters)],
              "responses": {
                "200": {"description": "a page of messages", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "CuratorMessage"))}}},
                "400": {"description": "a bad chat_id, cursor or limit (named)", \#(problem)},
                \#(AgentOpenAPI.commonProblems),
                "404": {"description": "no such chat, or another learner's", \#(problem)}
              }}
          },
          "/v1/curator/problems": {"get": {
            "summary": "Messages in which the curator detected a problem, newest first, with the learner (curator, admin, tech_support, service)",
            "security": [{"bearer": []}],
            "parameters": [
              {"name": "problem_type", "in": "query", "schema": {"type": "string", "enum": ["understanding", "motivation", "technical", "personal"]}},
              {"name": "mood", "in": "query", "schema": {"type": "string", "enum": ["positive", "neutral", "negative", "frustrated", "confused", "motivated"]}},
              {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "inclusive"},
              {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}, "description": "exclusive"},
              \#(AgentOpenAPI.pageParameters)
            ],
            "responses": {
              "200": {"description": "a page of problem messages", "content": {"application/json": {"schema": \#(AgentOpenAPI.page(of: "CuratorProblem"))}}},
              "400": {"description": "a bad filter, cursor or limit (named)", \#(problem)},
              \#(AgentOpenAPI.commonProblems)
            }}}
        }
        """#

    static let schemas = #"""
        {
          "CuratorChatInput": {"type": "object", "properties": {
            "user_id": {"type": "string", "format": "uuid", "description": "the learner; required for staff and service, a student's own id when left out"},
            "title": {"type": "string", "minLength": 1, "maxLength": 200}}},
          "CuratorChat": {"type": "object", "required": ["id", "user_id", "created_at", "updated_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "user_id": {"type": "string", "format": "uuid"}, "title": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time", "description": "moves when a message is added"}}},
          "CuratorMessageInput": {"type": "object", "required": ["role", "content"], "properties": {
            "role": {"type": "string", "enum": ["user", "assistant", "system"]},
            "content": {"type": "string", "minLength": 1, "maxLength": 100000, "description": "line breaks and tabs allowed, no other control characters"},
            "student_mood": {"type": "string", "enum": ["positive", "neutral", "negative", "frustrated", "confused", "motivated"]},
            "mood_confidence": {"type": "number", "minimum": 0, "maximum": 1, "description": "kept to two decimals; needs student_mood"},
            "mood_indicators": \#(AgentOpenAPI.json("what the mood was read from")),
            "is_problem_detected": {"type": "boolean", "description": "default: true when problem_type is given, else false"},
            "problem_type": {"type": "string", "enum": ["understanding", "motivation", "technical", "personal"]}}},
          "CuratorMessage": {"type": "object", "required": ["id", "chat_id", "role", "content", "is_problem_detected", "created_at"], "properties": {
            "id": {"type": "string", "format": "uuid"}, "chat_id": {"type": "string", "format": "uuid"},
            "role": {"type": "string", "enum": ["user", "assistant", "system"]}, "content": {"type": "string"},
            "student_mood": {"type": "string"}, "mood_confidence": {"type": "number"}, "mood_indicators": {"type": "object"},
            "is_problem_detected": {"type": "boolean"}, "problem_type": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"}}},
          "CuratorProblem": {"allOf": [{"$ref": "#/components/schemas/CuratorMessage"},
            {"type": "object", "required": ["user_id"], "properties": {"user_id": {"type": "string", "format": "uuid"}}}]}
        }
        """#
}
