from rest_framework.pagination import CursorPagination as BaseCursorPagination


class CursorPagination(BaseCursorPagination):
    """Stable cursor pages: `?cursor=…&page_size=…` (max 200), newest first."""

    ordering = "-created_at"
    page_size_query_param = "page_size"
    max_page_size = 200
