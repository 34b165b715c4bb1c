import ServiceKit

/// The catalog's part of learning's OpenAPI document.
enum CatalogOpenAPI {
    static let errors = #"""
        "400": {"description": "invalid field, named in errors[]", \#(PlatformOpenAPI.problemContent)},
        "401": {"description": "no, invalid or expired token", \#(PlatformOpenAPI.problemContent)},
        "403": {"description": "not an admin or curator", \#(PlatformOpenAPI.problemContent)},
        "404": {"description": "no such course or module", \#(PlatformOpenAPI.problemContent)}
        """#
    static let id = #""in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}"#
    static let authored = #""security": [{"bearer": []}]"#
    static func body(_ schema: String) -> String {
        ##""requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}}"##
    }
    static func ok(_ status: Int, _ schema: String) -> String {
        ##""\##(status)": {"description": "done", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/\##(schema)"}}}}"##
    }

    static let paths = #"""
    {
      "/v1/courses": {
        "get": {"summary": "Published courses, newest first (staff: ?status=draft|archived), cursor-paginated",
          "parameters": [
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["published", "draft", "archived"]}},
            {"name": "category", "in": "query", "schema": {"type": "string"}},
            {"name": "level", "in": "query", "schema": {"type": "string", "enum": ["beginner", "intermediate", "advanced", "all_levels"]}},
            {"name": "language", "in": "query", "schema": {"type": "string"}},
            {"name": "free", "in": "query", "schema": {"type": "boolean"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
          "responses": {\#(ok(200, "CoursePage")), \#(errors)}},
        "post": {"summary": "Create a draft course (admin, curator)", \#(authored), \#(body("CourseInput")),
          "responses": {\#(ok(201, "Course")), \#(errors)}}},
      "/v1/search": {"get": {"summary": "Published courses, articles and videos: title matches first, then text matches, newest first in each; English, Persian and Russian alike",
        "parameters": [
          {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 200}},
          {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["course", "article", "video"]},
            "description": "only this kind (default: all three)"},
          {"name": "category", "in": "query", "schema": {"type": "string"}},
          {"name": "level", "in": "query", "schema": {"type": "string"}},
          {"name": "language", "in": "query", "schema": {"type": "string"}},
          {"name": "free", "in": "query", "schema": {"type": "boolean"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
        "responses": {\#(ok(200, "SearchPage")), \#(errors)}}},
      "/v1/courses/{course_id}": {
        "get": {"summary": "A course with its modules and lessons in order (drafts: staff only)",
          "parameters": [{"name": "course_id", \#(id)}], "responses": {\#(ok(200, "Course")), \#(errors)}},
        "patch": {"summary": "Change any course field (admin, curator)", \#(authored), "parameters": [{"name": "course_id", \#(id)}],
          \#(body("CourseInput")), "responses": {\#(ok(200, "Course")), \#(errors)}}},
      "/v1/courses/{course_id}/publish": {"post": {"summary": "Publish (needs a lesson; 409 otherwise)", \#(authored),
        "parameters": [{"name": "course_id", \#(id)}],
        "responses": {\#(ok(200, "Course")), "409": {"description": "no lessons yet", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
      "/v1/courses/{course_id}/archive": {"post": {"summary": "Archive: hidden from the public", \#(authored),
        "parameters": [{"name": "course_id", \#(id)}], "responses": {\#(ok(200, "Course")), \#(errors)}}},
      "/v1/courses/{course_id}/modules": {"post": {"summary": "Append a module", \#(authored),
        "parameters": [{"name": "course_id", \#(id)}], \#(body("ModuleInput")), "responses": {\#(ok(201, "Module")), \#(errors)}}},
      "/v1/courses/{course_id}/modules/order": {"put": {"summary": "Reorder all of a course's modules", \#(authored),
        "parameters": [{"name": "course_id", \#(id)}], \#(body("NewOrder")),
        "responses": {\#(ok(200, "NewOrder")), "409": {"description": "ids are not exactly the course's modules", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
      "/v1/modules/{module_id}": {"patch": {"summary": "Change a module's title or description", \#(authored),
        "parameters": [{"name": "module_id", \#(id)}], \#(body("ModulePatch")), "responses": {\#(ok(200, "Module")), \#(errors)}}},
      "/v1/lessons/{lesson_id}": {"patch": {"summary": "Change a lesson's fields (not its content type)", \#(authored),
        "parameters": [{"name": "lesson_id", \#(id)}], \#(body("LessonPatch")), "responses": {\#(ok(200, "Lesson")), \#(errors)}}},
      "/v1/modules/{module_id}/lessons": {"post": {"summary": "Append a lesson", \#(authored),
        "parameters": [{"name": "module_id", \#(id)}], \#(body("LessonInput")), "responses": {\#(ok(201, "Lesson")), \#(errors)}}},
      "/v1/courses/{course_id}/prerequisites": {
        "get": {"summary": "The courses this one requires", "parameters": [{"name": "course_id", \#(id)}],
          "responses": {\#(ok(200, "Prerequisites")), \#(errors)}},
        "put": {"summary": "Replace the courses this one requires (409 naming the cycle it would make)", \#(authored),
          "parameters": [{"name": "course_id", \#(id)}], \#(body("NewOrder")),
          "responses": {\#(ok(200, "Prerequisites")), "409": {"description": "a cycle", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
      "/v1/lessons/{lesson_id}/prerequisites": {
        "get": {"summary": "The lessons of the same course this one requires", "parameters": [{"name": "lesson_id", \#(id)}],
          "responses": {\#(ok(200, "Prerequisites")), \#(errors)}},
        "put": {"summary": "Replace them; completing the lesson needs them completed (403 listing the missing)", \#(authored),
          "parameters": [{"name": "lesson_id", \#(id)}], \#(body("NewOrder")),
          "responses": {\#(ok(200, "Prerequisites")), "409": {"description": "a cycle", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}},
      "/v1/modules/{module_id}/lessons/order": {"put": {"summary": "Reorder all of a module's lessons", \#(authored),
        "parameters": [{"name": "module_id", \#(id)}], \#(body("NewOrder")),
        "responses": {\#(ok(200, "NewOrder")), "409": {"description": "ids are not exactly the module's lessons", \#(PlatformOpenAPI.problemContent)}, \#(errors)}}}
    }
    """#

    static let schemas = #"""
    {
      "CourseInput": {"type": "object", "properties": {
        "title": {"type": "string", "maxLength": 300}, "description": {"type": "string", "maxLength": 20000},
        "category": {"type": "string", "maxLength": 100}, "level": {"type": "string", "enum": ["beginner", "intermediate", "advanced", "all_levels"]},
        "language": {"type": "string"}, "languages": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
        "duration_minutes": {"type": "integer"}, "thumbnail_url": {"type": "string", "format": "uri"},
        "price": {"type": "number", "minimum": 0}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "discount_percent": {"type": "integer", "minimum": 0, "maximum": 100}, "instructor_id": {"type": "string", "format": "uuid"},
        "sequential_modules": {"type": "boolean"}}},
      "Course": {"type": "object", "required": ["id", "title", "status", "price", "final_price", "currency"], "properties": {
        "id": {"type": "string", "format": "uuid"}, "title": {"type": "string"}, "description": {"type": "string"},
        "category": {"type": "string"}, "level": {"type": "string"}, "language": {"type": "string"},
        "languages": {"type": "array", "items": {"type": "string"}}, "duration_minutes": {"type": "integer"},
        "thumbnail_url": {"type": "string"}, "price": {"type": "string", "description": "decimal, e.g. 49.99"},
        "final_price": {"type": "string"}, "currency": {"type": "string"}, "discount_percent": {"type": "integer"},
        "instructor_id": {"type": "string", "format": "uuid"}, "sequential_modules": {"type": "boolean"},
        "status": {"type": "string", "enum": ["draft", "published", "archived"]},
        "published_at": {"type": "string", "format": "date-time"}, "archived_at": {"type": "string", "format": "date-time"},
        "modules_count": {"type": "integer"}, "lessons_count": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
        "modules": {"type": "array", "items": {"$ref": "#/components/schemas/Module"}}}},
      "CoursePage": {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Course"}}, "next_cursor": {"type": "string"}}},
      "ModuleInput": {"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string", "maxLength": 300}, "description": {"type": "string", "maxLength": 5000}}},
      "ModulePatch": {"type": "object", "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 300}, "description": {"type": "string", "maxLength": 5000}}},
      "LessonPatch": {"type": "object", "description": "only the fields to change; content_type, when given, must be the lesson's own", "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 300}, "content_type": {"type": "string", "enum": ["video", "text", "quiz", "assignment"]},
        "content": {"type": "string"}, "video_url": {"type": "string", "format": "uri"}, "duration_seconds": {"type": "integer", "minimum": 0},
        "xp_reward": {"type": "integer", "minimum": 0}, "is_preview": {"type": "boolean"}, "is_required": {"type": "boolean"},
        "watch_threshold_percent": {"type": "integer", "minimum": 1, "maximum": 100}}},
      "Module": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "course_id": {"type": "string", "format": "uuid"},
        "title": {"type": "string"}, "description": {"type": "string"}, "position": {"type": "integer"},
        "lessons": {"type": "array", "items": {"$ref": "#/components/schemas/Lesson"}}}},
      "LessonInput": {"type": "object", "required": ["title", "content_type"], "properties": {
        "title": {"type": "string", "maxLength": 300}, "content_type": {"type": "string", "enum": ["video", "text", "quiz", "assignment"]},
        "content": {"type": "string"}, "video_url": {"type": "string", "format": "uri"}, "duration_seconds": {"type": "integer"},
        "xp_reward": {"type": "integer"}, "is_preview": {"type": "boolean"}, "is_required": {"type": "boolean"},
        "watch_threshold_percent": {"type": "integer", "minimum": 1, "maximum": 100, "default": 80}}},
      "Lesson": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "module_id": {"type": "string", "format": "uuid"},
        "title": {"type": "string"}, "content_type": {"type": "string"}, "position": {"type": "integer"},
        "duration_seconds": {"type": "integer"}, "xp_reward": {"type": "integer"}, "is_preview": {"type": "boolean"},
        "is_required": {"type": "boolean"}, "content": {"type": "string", "description": "staff and preview lessons only"},
        "video_url": {"type": "string", "description": "staff and preview lessons only"}}},
      "Prerequisites": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"type": "object",
        "properties": {"id": {"type": "string", "format": "uuid"}, "title": {"type": "string"}}}}}},
      "SearchPage": {"type": "object", "required": ["items"], "properties": {"next_cursor": {"type": "string"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"type": {"type": "string", "enum": ["course", "article", "video"]},
          "id": {"type": "string", "format": "uuid"}, "title": {"type": "string"}, "summary": {"type": "string"},
          "language": {"type": "string"}, "rank": {"type": "number", "description": "2: the title matches; 1: only the text does"},
          "published_at": {"type": "string", "format": "date-time"}}}}}},
      "NewOrder": {"type": "object", "required": ["ids"], "properties": {"ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}}}
    }
    """#
}
