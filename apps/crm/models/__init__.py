"""The CRM's data, one module per part: customers and what they bought (`customers`), imports
and their reports (`imports`), scores and recommendations (`scores`)."""

from .customers import CatalogItem, ConsentEvent, Customer, CustomerOrder, SalesLine
from .imports import ColumnMapping, HealthSnapshot, Import, ImportRejection
from .scores import CustomerScore, Recommendation, SegmentChange

__all__ = [
    "CatalogItem",
    "ColumnMapping",
    "ConsentEvent",
    "Customer",
    "CustomerOrder",
    "CustomerScore",
    "HealthSnapshot",
    "Import",
    "ImportRejection",
    "Recommendation",
    "SalesLine",
    "SegmentChange",
]
