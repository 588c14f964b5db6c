"""The daily rollup: one row per day, metric and currency, so long periods read a few rows per day.

Metrics: `orders` and `revenue` per order currency (orders neither cancelled nor refunded),
`designs` and `ai_cost` (USD) with currency "". Rows are rewritten by `services.rollup_refresh`.
"""

from django.db import models
from django.utils import timezone


class DailyStat(models.Model):
    class Metric(models.TextChoices):
        ORDERS = "orders"
        REVENUE = "revenue"
        DESIGNS = "designs"
        AI_COST = "ai_cost"

    day = models.DateField()
    metric = models.CharField(max_length=16, choices=Metric.choices)
    currency = models.CharField(max_length=3, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=6)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "metric", "currency"], name="daily_stat_one_per_day_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.currency} {self.value}"
