"""crm: one customer base per workspace from every channel and from ERP exports; imports with
a data-health report, RFM segments and explainable recommendations."""
