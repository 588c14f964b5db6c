"""analytics: the brand's KPIs, charts and design funnel, the daily rollup, CSV and PDF reports."""
