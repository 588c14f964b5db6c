"""Dashboard pages under /campaigns/templates/ (names `dashboard:campaigns:<page>`)."""

urlpatterns = []
