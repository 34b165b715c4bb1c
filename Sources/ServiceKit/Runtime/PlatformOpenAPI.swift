/// The OpenAPI document of a service that has only the platform endpoints so far.
public enum PlatformOpenAPI {
    public static func document(title: String) -> String {
        #"""
        {
          "openapi": "3.1.0",
          "info": {"title": "\#(title)", "version": "0.1.0"},
          "paths": {
            "/health": {"get": {"summary": "Liveness", "responses": {"200": {"description": "alive"}}}},
            "/ready": {"get": {"summary": "Readiness", "responses": {"200": {"description": "ready"}, "503": {"description": "not ready"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format"}}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
          }
        }
        """#
    }
}
