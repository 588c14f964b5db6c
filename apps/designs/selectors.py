"""Reads for designs (the dashboard and the API share them)."""

from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from .models import OPERATOR_REJECTED, Design, DesignAsset, DesignReport, DesignReview, DesignSessionGrant
from .rendering import PrintSpec


def design_list(
    *,
    status: str | None = None,
    product: int | None = None,
    created_after: datetime | None = None,
    search: str | None = None,
    related: tuple[str, ...] = ("product", "variant", "parent"),
) -> QuerySet[Design]:
    """The designs matching the filters, with the `related` rows joined (the API shows only the
    product's and variant's ids: it joins the parent alone)."""
    designs = Design.objects.select_related(*related)
    if status:
        designs = designs.filter(status=status)
    if product:
        designs = designs.filter(product_id=product)
    if created_after:
        designs = designs.filter(created_at__gt=created_after)
    if search:
        designs = designs.filter(prompt__icontains=search)
    return designs


def design_get(design_id: str) -> Design | None:
    """The design with this id (`dsg_…`, the only id shown outside); None for any other value.

    The public id is unique, so the lookup is one index scan.
    """
    designs = Design.objects.select_related("product__brand", "variant", "parent")
    return designs.filter(public_id=design_id).first()


def session_designs(session_id: str) -> QuerySet[Design]:
    """The designs a widget session made, or was given by a reorder link (DesignSessionGrant)."""
    granted = DesignSessionGrant.objects.filter(design=OuterRef("pk"), shopper_session=session_id)
    return Design.objects.filter(Q(shopper_session=session_id) | Exists(granted))


def design_thumbs(designs, kind: str = DesignAsset.Kind.THUMB) -> dict[int, DesignAsset]:
    """The first view's thumbnail (or asset of `kind`, e.g. its preview) of each design, by design id."""
    thumbs: dict[int, DesignAsset] = {}
    assets = DesignAsset.objects.filter(design__in=designs, kind=kind)
    for asset in assets.order_by("design_id", "view__position", "view_id"):
        thumbs.setdefault(asset.design_id, asset)
    return thumbs


def design_thumb_urls(public_ids, kind: str = DesignAsset.Kind.THUMB) -> dict[str, str]:
    """Signed links to the thumbnails (or first view's assets of `kind`) of the designs with these
    ids (`dsg_…`), by id; designs without one (or of another workspace) are left out."""
    from .signing import asset_url  # signing reads assets: imported when links are made

    designs = Design.objects.filter(public_id__in=list(public_ids)).values_list("pk", "public_id")
    ids = dict(designs)
    return {ids[pk]: asset_url(asset) for pk, asset in design_thumbs(list(ids), kind).items()}


def _own_assets() -> QuerySet[DesignAsset]:
    return (
        DesignAsset.objects.exclude(kind=DesignAsset.Kind.ELSEWHERE)
        .select_related("view")
        .order_by("view__position", "view_id", "kind")
    )


def design_own_assets(design: Design):
    """The design's own files (its product's views, then its artwork and model), in view order;
    previews on other products (`ELSEWHERE`) are not the design's files. Those `with_own_assets`
    fetched, if it did (a list of designs: one query for all, not one per design)."""
    prefetched = getattr(design, "own_assets", None)
    if prefetched is not None:
        return prefetched
    return _own_assets().filter(design=design)


# What a link to an asset shows (signing.asset_urls): a page of 50 designs has ≈ 600 assets, and
# building them with every column, their views' included, was most of the page's time.
ASSET_LINK_FIELDS = ("design_id", "view__name", "kind", "content_type", "width", "height", "dpi", "bytes")


def with_own_assets(designs: QuerySet[Design]) -> QuerySet[Design]:
    """`designs`, each with its own files (`design_own_assets`) fetched in one query per page,
    with the columns their links show (ASSET_LINK_FIELDS; others would be read one by one)."""
    assets = _own_assets().only(*ASSET_LINK_FIELDS)
    return designs.prefetch_related(Prefetch("assets", queryset=assets, to_attr="own_assets"))


def design_asset_get(asset_id: int) -> DesignAsset | None:
    return DesignAsset.objects.select_related("design", "view").filter(pk=asset_id).first()


def view_print_spec(view) -> PrintSpec:
    """A product view's print area as the renderer takes it: size, DPI, bleed and safe margins."""
    return PrintSpec(
        width_mm=float(view.width_mm),
        height_mm=float(view.height_mm),
        dpi=view.dpi,
        bleed_mm=float(view.bleed_mm),
        safe_mm=float(view.safe_mm),
    )


def design_ordered(design: Design) -> bool:
    """Whether an order holds the design (its print files may no longer change)."""
    return design.order_items.exists()


def design_by_pk(pk: int) -> Design | None:
    return Design.objects.filter(pk=pk).first()


# The operators' moderation lists: refused by the pipeline, rejected by an operator, reported by the brand.
MODERATION_LISTS = ("flagged", "rejected", "reported")


def moderation_designs(which: str, *, limit: int) -> list[Design]:
    """This workspace's designs in the moderation list `which` (MODERATION_LISTS), newest first,
    each with its product's brand and `open_reports` (the brand's unresolved reports)."""
    open_reports = DesignReport.objects.filter(resolved_at__isnull=True).order_by("-created_at")
    designs = Design.objects.select_related("product__brand").prefetch_related(
        Prefetch("reports", queryset=open_reports, to_attr="open_reports")
    )
    if which == "reported":
        designs = designs.filter(Exists(open_reports.filter(design=OuterRef("pk"))))
    elif which == "rejected":
        designs = designs.filter(status=Design.Status.REJECTED, error_code=OPERATOR_REJECTED)
    else:
        designs = designs.filter(status=Design.Status.REJECTED).exclude(error_code=OPERATOR_REJECTED)
    return list(designs.order_by("-created_at")[:limit])


def moderation_counts(since: datetime) -> dict[tuple, int]:
    """{(day, action): count} of this workspace's moderation reviews since `since`."""
    rows = (
        DesignReview.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "action")
        .annotate(count=Count("pk"))
    )
    return {(row["day"], row["action"]): row["count"] for row in rows}
