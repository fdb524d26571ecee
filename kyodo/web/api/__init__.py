"""The REST API (django-ninja): OpenAPI 3 schema generated from the code, served at
/api/v1/openapi.json and committed as docs/openapi.json. Same roles, scope and audit as the UI.
"""
