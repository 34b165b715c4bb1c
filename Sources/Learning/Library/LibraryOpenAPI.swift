import ServiceKit

/// Articles and videos in learning's OpenAPI document.
enum LibraryOpenAPI {
    private static let id = CatalogOpenAPI.id
    private static let auth = CatalogOpenAPI.authored
    private static let errors = CatalogOpenAPI.errors

    private static func paths(_ kind: LibraryKind) -> String {
        let schema = kind == .article ? "Article" : "Video"
        let one = CatalogOpenAPI.ok(200, schema)
        return #"""
          "/v1/\#(kind.plural)": {
            "get": {"summary": "Published \#(kind.plural), newest first (staff: ?status=draft|archived)",
              "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["published", "draft", "archived"]}},
                {"name": "featured", "in": "query", "schema": {"type": "boolean"}}, {"name": "category", "in": "query", "schema": {"type": "string"}},
                {"name": "language", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}, {"name": "cursor", "in": "query", "schema": {"type": "string"}}],
              "responses": {\#(CatalogOpenAPI.ok(200, schema + "Page")), \#(errors)}},
            "post": {"summary": "Create a draft (admin, curator)", \#(auth), \#(CatalogOpenAPI.body(schema + "Input")),
              "responses": {\#(CatalogOpenAPI.ok(201, schema)), \#(errors)}}},
          "/v1/\#(kind.plural)/{item_id}": {
            "get": {"summary": "One \#(kind.rawValue) with its full text (drafts: staff only)", "parameters": [{"name": "item_id", \#(id)}],
              "responses": {\#(one), \#(errors)}},
            "patch": {"summary": "Change any field (admin, curator)", \#(auth), "parameters": [{"name": "item_id", \#(id)}],
              \#(CatalogOpenAPI.body(schema + "Input")), "responses": {\#(one), \#(errors)}}},
          "/v1/\#(kind.plural)/{item_id}/publish": {"post": {"summary": "Publish (keeps the first date)", \#(auth),
            "parameters": [{"name": "item_id", \#(id)}], "responses": {\#(one), \#(errors)}}},
          "/v1/\#(kind.plural)/{item_id}/archive": {"post": {"summary": "Archive: hidden from the public and search", \#(auth),
            "parameters": [{"name": "item_id", \#(id)}], "responses": {\#(one), \#(errors)}}}
        """#
    }

    static let paths = "{" + paths(.article) + "," + paths(.video) + "," + materials + "}"

    private static let materials = #"""
          "/v1/lessons/{lesson_id}/materials": {
            "get": {"summary": "A lesson's files in order (public for published lessons)", "parameters": [{"name": "lesson_id", \#(id)}],
              "responses": {\#(CatalogOpenAPI.ok(200, "Materials")), \#(errors)}},
            "post": {"summary": "Attach a file by URL (admin, curator)", \#(auth), "parameters": [{"name": "lesson_id", \#(id)}],
              \#(CatalogOpenAPI.body("MaterialInput")), "responses": {\#(CatalogOpenAPI.ok(201, "Material")), \#(errors)}}},
          "/v1/materials/{material_id}": {"delete": {"summary": "Remove a file; the others close up (admin, curator)", \#(auth),
            "parameters": [{"name": "material_id", \#(id)}], "responses": {"204": {"description": "removed"}, \#(errors)}}}
        """#

    private static let common = #"""
        "category": {"type": "string", "maxLength": 100}, "language": {"type": "string"}, "is_featured": {"type": "boolean"},
        "thumbnail_url": {"type": "string", "format": "uri"}, "course_id": {"type": "string", "format": "uuid"}
        """#
    private static let stamps = #"""
        "id": {"type": "string", "format": "uuid"}, "type": {"type": "string"}, "status": {"type": "string", "enum": ["draft", "published", "archived"]},
        "published_at": {"type": "string", "format": "date-time"}, "archived_at": {"type": "string", "format": "date-time"},
        "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"}
        """#
    private static let article = #"""
        "title": {"type": "string", "maxLength": 300}, "summary": {"type": "string", "maxLength": 5000},
        "content": {"type": "string", "maxLength": 300000}, "source_type": {"type": "string", "enum": ["internal", "external", "scraped"]},
        "source_url": {"type": "string", "format": "uri", "description": "required for external and scraped"}, "author": {"type": "string"}
        """#
    private static let video = #"""
        "title": {"type": "string", "maxLength": 300}, "description": {"type": "string", "maxLength": 5000},
        "transcript": {"type": "string", "maxLength": 300000}, "provider": {"type": "string", "enum": ["youtube", "vimeo", "self_hosted"]},
        "video_url": {"type": "string", "format": "uri"}, "external_id": {"type": "string"}, "duration_seconds": {"type": "integer", "minimum": 0}
        """#

    static let schemas = #"""
    {
      "ArticleInput": {"type": "object", "properties": {\#(article), \#(common)}},
      "Article": {"type": "object", "properties": {\#(article), \#(common), \#(stamps)}},
      "ArticlePage": {"type": "object", "required": ["items"], "properties": {"next_cursor": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Article"}}}},
      "VideoInput": {"type": "object", "properties": {\#(video), \#(common)}},
      "Video": {"type": "object", "properties": {\#(video), \#(common), \#(stamps)}},
      "MaterialInput": {"type": "object", "required": ["file_name", "url"], "properties": {"file_name": {"type": "string", "maxLength": 255},
        "display_name": {"type": "string", "maxLength": 300}, "url": {"type": "string", "format": "uri"},
        "size_bytes": {"type": "integer", "minimum": 0}, "content_type": {"type": "string", "example": "application/pdf"}}},
      "Material": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}, "lesson_id": {"type": "string", "format": "uuid"},
        "file_name": {"type": "string"}, "display_name": {"type": "string"}, "url": {"type": "string"}, "size_bytes": {"type": "integer"},
        "content_type": {"type": "string"}, "position": {"type": "integer"}}},
      "Materials": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Material"}}}},
      "VideoPage": {"type": "object", "required": ["items"], "properties": {"next_cursor": {"type": "string"},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Video"}}}}
    }
    """#
}
