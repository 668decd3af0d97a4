"""Page-number pagination with a bounded page size (the views give a total order: date, then id)."""

from rest_framework import pagination

__all__ = ["PageNumberPagination"]


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
