"""The planner API under /api/v1/planner/ (`planner-api:<name>`)."""

from django.urls import path

from . import views

app_name = "planner-api"
SCENARIO = "planner/scenarios/<int:pk>"
urlpatterns = [
    path("planner/scenarios", views.ScenarioListView.as_view(), name="scenarios"),
    path(SCENARIO, views.ScenarioDetailView.as_view(), name="scenario"),
    path(f"{SCENARIO}/objectives", views.ObjectiveAddView.as_view(), name="objectives"),
    path(f"{SCENARIO}/objectives/<int:part_pk>", views.ObjectiveRemoveView.as_view(), name="objective"),
    path(f"{SCENARIO}/targets", views.TargetAddView.as_view(), name="targets"),
    path(f"{SCENARIO}/targets/<int:part_pk>", views.TargetRemoveView.as_view(), name="target"),
    path(f"{SCENARIO}/resources", views.ResourceAddView.as_view(), name="resources"),
    path(f"{SCENARIO}/resources/<int:part_pk>", views.ResourceRemoveView.as_view(), name="resource"),
    path(f"{SCENARIO}/chat", views.ChatView.as_view(), name="chat"),
    path(f"{SCENARIO}/plan", views.PlanGenerateView.as_view(), name="plan-generate"),
    path(f"{SCENARIO}/plans", views.PlanListView.as_view(), name="plans"),
    path(f"{SCENARIO}/export.json", views.ExportJSONView.as_view(), name="export-json"),
    path(f"{SCENARIO}/export.csv", views.ExportCSVView.as_view(), name="export-csv"),
    path("planner/plans/<int:pk>", views.PlanDetailView.as_view(), name="plan"),
    path("planner/plans/<int:pk>/restore", views.PlanRestoreView.as_view(), name="plan-restore"),
    path(
        "planner/plans/<int:pk>/campaign-drafts", views.CampaignDraftsView.as_view(), name="campaign-drafts"
    ),
    path("planner/target-suggestions", views.TargetSuggestionsView.as_view(), name="target-suggestions"),
]
