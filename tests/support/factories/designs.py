"""Designs made through the service and taken through the pipeline step by step, in this process."""

from apps.designs import tasks
from apps.designs.models import Design
from apps.designs.services import design_create
from apps.products.models import Product, View

STEPS = (
    tasks.design_moderate_task,
    tasks.design_generate_task,
    tasks.design_composite_task,
    tasks.design_export_task,
)
REDRAW = (tasks.design_composite_task, tasks.design_export_task)  # what an edit runs again


def pipeline_run(design: Design, steps=STEPS, *, throw: bool = True) -> Design:
    """Run the steps in order in this process, as a worker would (each in the design's schema).

    `throw=False` lets Celery handle a task's retry (run again at once) instead of raising it.
    """
    for task in steps:
        task.apply(args=[design.pk], throw=throw)
    design.refresh_from_db()
    return design


def ready_design(product: Product, **fields) -> Design:
    """A design of `product` taken through the whole pipeline in this process."""
    return pipeline_run(design_create(product=product.pk, prompt="A fox in a snowy forest", **fields))


def views_of(product: Product) -> list[View]:
    return list(product.views.order_by("position"))
