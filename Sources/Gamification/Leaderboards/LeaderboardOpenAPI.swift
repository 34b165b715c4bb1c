import ServiceKit

enum LeaderboardOpenAPI {
    private static let board = #"""
        {"name": "period", "in": "path", "required": true, "schema": {"type": "string", "enum": ["daily", "weekly", "monthly", "all_time"]}},
        {"name": "course_id", "in": "query", "description": "a course's board; absent: the global board", "schema": {"type": "string", "format": "uuid"}},
        {"name": "date", "in": "query", "description": "the period containing this local day (platform timezone); default today", "schema": {"type": "string", "format": "date"}}
        """#

    private static let user = #"""
        {"name": "user_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}
        """#

    static let paths = #"""
        {
          "/v1/leaderboards/{period}": {"get": {
            "summary": "The top learners of a period's board (public). Equal XP shares a rank (1, 2, 2, 4); hidden learners are not listed or counted; anonymous ones have no user_id",
            "parameters": [\#(board),
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}}],
            "responses": {"200": {"description": "best first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeaderboardPage"}}}},
              "400": {"description": "unknown period, bad course_id, date or limit, naming the parameter", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/leaderboards/{period}/users/{user_id}": {"get": {
            "summary": "A learner's rank, XP and percentile on a period's board (the learner, or curator, tech_support, admin, service)",
            "security": [{"bearer": []}],
            "parameters": [\#(board), \#(user)],
            "responses": {"200": {"description": "standing; no rank without XP in the period", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeaderboardStanding"}}}},
              "400": {"description": "unknown period, malformed ids or a bad date, naming the parameter", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "another learner's rank", \#(PlatformOpenAPI.problemContent)}}}},
          "/v1/leaderboards/{period}/users/{user_id}/around": {"get": {
            "summary": "Up to `size` learners above and below a learner, the learner between them (the learner, or staff)",
            "security": [{"bearer": []}],
            "parameters": [\#(board), \#(user),
              {"name": "size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5}}],
            "responses": {"200": {"description": "the window, best first", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LeaderboardWindow"}}}},
              "400": {"description": "unknown period, malformed ids, a bad date or size, naming the parameter", \#(PlatformOpenAPI.problemContent)},
              "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
              "403": {"description": "another learner's window", \#(PlatformOpenAPI.problemContent)}}}}
        }
        """#

    private static let boardProperties = #"""
        "period": {"type": "string", "enum": ["daily", "weekly", "monthly", "all_time"]},
        "period_start": {"type": "string", "format": "date", "description": "first local day; absent for all_time"},
        "period_end": {"type": "string", "format": "date", "description": "last local day; absent for all_time"},
        "timezone": {"type": "string", "description": "the platform timezone the periods are counted in"},
        "course_id": {"type": "string", "format": "uuid", "description": "absent: the global board"},
        "ranked_learners": {"type": "integer", "description": "learners on the board: XP in the period, not hidden"}
        """#

    private static let standingProperties = #"""
        "user_id": {"type": "string", "format": "uuid"},
        "xp": {"type": "integer", "description": "XP in the period (0 without any)"},
        "rank": {"type": "integer", "minimum": 1, "description": "1 + ranked learners with more XP; absent without XP in the period"},
        "percentile": {"type": "number", "minimum": 0, "maximum": 100, "description": "100 × ranked learners with less XP ÷ ranked learners, two decimals"},
        "learners_above": {"type": "integer"}, "learners_below": {"type": "integer"},
        "visibility": {"type": "string", "enum": ["visible", "anonymous", "hidden"]},
        "listed": {"type": "boolean", "description": "others see the learner on this board"}
        """#

    static let schemas = #"""
        {
          "LeaderboardEntry": {"type": "object", "required": ["rank", "xp", "anonymous"], "properties": {
            "rank": {"type": "integer", "minimum": 1}, "user_id": {"type": "string", "format": "uuid", "description": "absent for anonymous learners"},
            "xp": {"type": "integer"}, "anonymous": {"type": "boolean"}, "subject": {"type": "boolean", "description": "the learner a window is centred on"}}},
          "LeaderboardPage": {"type": "object", "required": ["period", "timezone", "ranked_learners", "entries"], "properties": {
            \#(boardProperties),
            "entries": {"type": "array", "items": {"$ref": "#/components/schemas/LeaderboardEntry"}}}},
          "LeaderboardStanding": {"type": "object", "required": ["period", "timezone", "ranked_learners", "user_id", "xp", "visibility", "listed"], "properties": {
            \#(boardProperties),
            \#(standingProperties)}},
          "LeaderboardWindow": {"type": "object", "required": ["period", "timezone", "ranked_learners", "user", "entries"], "properties": {
            \#(boardProperties),
            "user": {"type": "object", "properties": {\#(standingProperties)}},
            "entries": {"type": "array", "items": {"$ref": "#/components/schemas/LeaderboardEntry"}}}}
        }
        """#
}
