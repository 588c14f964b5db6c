"""Every benchmark, one after the other, in one fresh database. Exit status 1 if a target is missed."""

import sys

from bench import api, billing, dashboard, pipeline, provisioning, storefront, widget
from bench.database import django_on_fresh_database

if __name__ == "__main__":
    with django_on_fresh_database() as environment:
        results = [
            provisioning.run(),
            api.run(environment),
            pipeline.run(environment),
            storefront.run(environment),
            widget.run(environment),
            billing.run(),
            dashboard.run(),
        ]
    sys.exit(0 if all(results) else 1)
