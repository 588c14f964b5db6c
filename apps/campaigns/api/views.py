"""The campaigns API: audiences (with their live size), e-mail templates, and campaigns — created,
scheduled or sent now, paused, resumed, cancelled — with their progress and revenue."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.serializers import validated
from apps.core.api.views import found, key_user_id, path_id
from apps.tenants.api.idempotency import idempotent

from .. import automations, services, templates_services
from ..errors import ScheduleInvalid, TemplateInvalid
from ..selectors import (
    audience_get,
    audience_list,
    audience_size,
    campaign_get,
    campaign_list,
    campaign_progress,
    campaign_revenue,
)
from ..templates_selectors import template_get, template_list
from .serializers import (
    AudienceDetailSerializer,
    AudienceFilterSerializer,
    AudienceInputSerializer,
    AudienceSerializer,
    AutomationInputSerializer,
    AutomationSerializer,
    CampaignDetailSerializer,
    CampaignFilterSerializer,
    CampaignInputSerializer,
    CampaignSerializer,
    ProgressSerializer,
    RevenueSerializer,
    ScheduleSerializer,
    TemplateFilterSerializer,
    TemplateInputSerializer,
    TemplateSerializer,
)

READ, WRITE = "campaigns:read", "campaigns:write"
SCOPES = {"GET": READ, "POST": WRITE, "PUT": WRITE, "PATCH": WRITE, "DELETE": WRITE}
STATE_CONFLICT = (
    "409 `conflict` when the campaign's status does not allow it (`details` empty, `message` says why)."
)


# --- audiences -----------------------------------------------------------------------------------


def _audience_detail(audience) -> dict:
    return AudienceDetailSerializer(
        {**AudienceSerializer(audience).data, "size": audience_size(audience.rules)}
    ).data


class AudienceListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = AudienceSerializer

    @extend_schema(parameters=[AudienceFilterSerializer], summary="List audiences, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return audience_list(**validated(AudienceFilterSerializer, self.request.query_params))

    @extend_schema(
        request=AudienceInputSerializer,
        responses={201: AudienceDetailSerializer},
        summary="Create an audience",
        description=(
            "A name and CRM rules (evaluated whenever the audience is counted or sent to, never stored "
            "as a list of people). Unknown rules or values: 400 `validation_error` naming them."
        ),
    )
    @idempotent
    def post(self, request):
        data = validated(AudienceInputSerializer, request.data)
        audience = services.audience_save(
            name=data["name"], rules=data.get("rules", {}), user_id=key_user_id(request)
        )
        return Response(_audience_detail(audience), status=status.HTTP_201_CREATED)


class AudienceDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = AudienceDetailSerializer

    @extend_schema(
        parameters=[path_id("audience")],
        summary="An audience and its live size",
        description=(
            "`size`: how many customers match, how many a campaign would write to, and why the "
            "others are left out."
        ),
    )
    def get(self, request, pk: int):
        return Response(_audience_detail(found(audience_get(pk=pk))))

    @extend_schema(
        parameters=[path_id("audience")],
        request=AudienceInputSerializer(partial=True),
        responses={200: AudienceDetailSerializer},
        summary="Change an audience's name or rules",
        description="Only the fields sent change; `rules` are replaced as a whole.",
    )
    def patch(self, request, pk: int):
        audience = found(audience_get(pk=pk))
        data = validated(AudienceInputSerializer, request.data, partial=True)
        audience = services.audience_save(
            audience=audience,
            name=data.get("name", audience.name),
            rules=data.get("rules", audience.rules),
            user_id=audience.created_by,
        )
        return Response(_audience_detail(audience))

    @extend_schema(
        parameters=[path_id("audience")],
        responses={204: None},
        summary="Delete an audience",
        description="409 `audience_in_use` while a campaign uses it.",
    )
    def delete(self, request, pk: int):
        services.audience_delete(audience=found(audience_get(pk=pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- templates -----------------------------------------------------------------------------------


def _content_checked(write):
    """Run a template write; its content's rule breaks become 422 `template_invalid`."""
    try:
        return write()
    except DjangoValidationError as error:
        raise TemplateInvalid(details={"fields": {"content": error.messages}}) from None


class TemplateListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = TemplateSerializer

    @extend_schema(parameters=[TemplateFilterSerializer], summary="List e-mail templates, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return template_list(**validated(TemplateFilterSerializer, self.request.query_params))

    @extend_schema(
        request=TemplateInputSerializer,
        responses={201: TemplateSerializer},
        summary="Create an e-mail template",
        description=(
            "Without `content`, one empty version in `default_language` (default `en`) whose subject "
            "is the name. 422 `template_invalid`: `details.fields.content` lists each problem, naming "
            'its block ("Block 2 (Button): Link is required.").'
        ),
    )
    @idempotent
    def post(self, request):
        data = validated(TemplateInputSerializer, request.data)
        template = _content_checked(lambda: templates_services.template_create(**data))
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = TemplateSerializer

    @extend_schema(parameters=[path_id("template")], summary="An e-mail template")
    def get(self, request, pk: int):
        return Response(TemplateSerializer(found(template_get(pk=pk))).data)

    @extend_schema(
        parameters=[path_id("template")],
        request=TemplateInputSerializer(partial=True),
        responses={200: TemplateSerializer},
        summary="Change an e-mail template",
        description=(
            "Only the fields sent change; `content` is replaced as a whole and checked with the "
            "default language: 422 `template_invalid` (nothing changes)."
        ),
    )
    def patch(self, request, pk: int):
        template = found(template_get(pk=pk))
        data = validated(TemplateInputSerializer, request.data, partial=True)
        template = _content_checked(lambda: templates_services.template_update(template=template, **data))
        return Response(TemplateSerializer(template).data)

    @extend_schema(
        parameters=[path_id("template")],
        responses={204: None},
        summary="Delete an e-mail template",
        description="409 `template_in_use` while a campaign uses it.",
    )
    def delete(self, request, pk: int):
        templates_services.template_delete(template=found(template_get(pk=pk)))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- campaigns -----------------------------------------------------------------------------------


def _campaign_detail(campaign) -> dict:
    """The campaign with its progress and revenue, read now."""
    progress, revenue = campaign_progress(campaign), campaign_revenue(campaign)
    counts = {"total": progress.total, "waiting": progress.waiting, "percent": progress.percent}
    return {
        **CampaignSerializer(campaign).data,
        "progress": ProgressSerializer({**counts, **progress.funnel}).data,
        "revenue": RevenueSerializer({"orders": revenue.orders, "by_currency": revenue.by_currency}).data,
    }


class CampaignListView(ListAPIView):
    required_scopes = SCOPES
    serializer_class = CampaignSerializer

    @extend_schema(parameters=[CampaignFilterSerializer], summary="List campaigns, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return campaign_list(**validated(CampaignFilterSerializer, self.request.query_params))

    @extend_schema(
        request=CampaignInputSerializer,
        responses={201: CampaignDetailSerializer},
        summary="Create a campaign (a draft)",
        description=(
            "An audience and a template of this workspace: an id that is not is a 404 "
            "`audience_not_found` / `template_not_found`. Send it with `…/schedule`."
        ),
    )
    @idempotent
    def post(self, request):
        data = validated(CampaignInputSerializer, request.data)
        campaign = services.campaign_create(**data, user_id=key_user_id(request))
        return Response(_campaign_detail(campaign), status=status.HTTP_201_CREATED)


class CampaignDetailView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = CampaignDetailSerializer

    @extend_schema(
        parameters=[path_id("campaign")],
        summary="A campaign with its progress and revenue",
        description=(
            "`progress`: recipients queued, waiting, sent, failed and with each tracked event; "
            "`revenue`: orders attributed to a click within `attribution_days`."
        ),
    )
    def get(self, request, pk: int):
        return Response(_campaign_detail(found(campaign_get(pk=pk))))


class CampaignScheduleView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = CampaignDetailSerializer

    @extend_schema(
        parameters=[path_id("campaign")],
        request=ScheduleSerializer,
        responses={200: CampaignDetailSerializer},
        summary="Send a campaign now, or schedule it",
        description=(
            '`{"now": true}`: the recipients are queued from the audience as it is now and sending '
            'starts (`status` `sending`); `{"at": "2027-03-01T09:00:00+01:00"}`: it starts then '
            "(`scheduled`; schedule again to move it). 402 `quota_exceeded` when the queued "
            "recipients are more than the plan's e-mails left this month (`details.requested`, "
            f"`allowed`, `used`, `resets_on`). 422 `schedule_invalid`: neither or both of `at` and `now`, "
            f"`now` false, or `at` not in the future. {STATE_CONFLICT} 409 also when nobody in the "
            "audience can receive it."
        ),
    )
    @idempotent
    def post(self, request, pk: int):
        campaign = found(campaign_get(pk=pk))
        data = validated(ScheduleSerializer, request.data)
        at, now = data.get("at"), data.get("now", False)
        if (at is None) == (now is not True) or (at is not None and at <= timezone.now()):
            raise ScheduleInvalid(details={"fields": {"at": [ScheduleInvalid.message]}})
        campaign = services.campaign_start(campaign=campaign, at=at)
        return Response(_campaign_detail(campaign))


class _CampaignActionView(GenericAPIView):
    required_scopes = SCOPES
    serializer_class = CampaignDetailSerializer

    def post(self, request, pk: int):
        campaign = self.transition(campaign=found(campaign_get(pk=pk)))
        return Response(_campaign_detail(campaign))


class CampaignCancelView(_CampaignActionView):
    transition = staticmethod(services.campaign_cancel)

    @extend_schema(
        parameters=[path_id("campaign")],
        request=None,
        summary="Cancel a campaign",
        description=(
            f"A draft, scheduled, sending or paused campaign; what was sent stays sent. {STATE_CONFLICT}"
        ),
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class CampaignPauseView(_CampaignActionView):
    transition = staticmethod(services.campaign_pause)

    @extend_schema(
        parameters=[path_id("campaign")],
        request=None,
        summary="Pause a sending campaign",
        description=f"Messages already claimed by a batch still leave. {STATE_CONFLICT}",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class CampaignResumeView(_CampaignActionView):
    transition = staticmethod(services.campaign_resume)

    @extend_schema(
        parameters=[path_id("campaign")],
        request=None,
        summary="Resume a paused campaign",
        description=f"Sending goes on where it stopped. {STATE_CONFLICT}",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- automations ---------------------------------------------------------------------------------

KINDS_HELP = "`design_abandoned` or `occasion` (404 for another)."


def _automation(kind: str, spec, campaign) -> dict:
    return AutomationSerializer(
        {
            "kind": kind,
            "label": spec.label,
            "enabled": automations.automation_on(campaign),
            "template": campaign.template_id if campaign else None,
            "delay": campaign.automation_delay if campaign else None,
            "campaign": campaign.pk if campaign else None,
        }
    ).data


class AutomationListView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        responses={200: AutomationSerializer(many=True)},
        summary="The automations: a design left unordered, an occasion coming back",
    )
    def get(self, request):
        return Response([_automation(*entry) for entry in automations.automations()])


class AutomationDetailView(APIView):
    required_scopes = SCOPES

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, OpenApiParameter.PATH, description=KINDS_HELP)
        ],
        request=AutomationInputSerializer,
        responses={200: AutomationSerializer},
        summary="Set up an automation, turn it on or off",
        description=(
            "Off, what falls due waits; on again, it leaves. 400 `validation_error` for a delay out "
            "of its kind's range; 404 for an unknown kind or a template of another workspace."
        ),
    )
    def put(self, request, kind: str):
        spec = found(automations.SPECS.get(kind))
        data = validated(AutomationInputSerializer, request.data)
        campaign = automations.automation_save(kind=kind, **data, user_id=key_user_id(request))
        return Response(_automation(kind, spec, campaign))
