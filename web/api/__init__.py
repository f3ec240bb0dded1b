"""The REST API at /api/v1 (`create_api`), mounted by the desk."""

from web.api.app import PREFIX, create_api

__all__ = ["PREFIX", "create_api"]
