from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from apps.tenants.decorators import member_required

# Dashboard sections that later issues fill; until then each says what is coming.
SECTIONS = {
    "copilot": (
        _("Copilot"),
        _("An assistant that answers questions about your sales, designs and customers."),
    ),
}


def landing(request):
    return render(request, "dashboard/landing.html")


@member_required
def section(request, section: str):
    title, description = SECTIONS[section]
    return render(request, "dashboard/section.html", {"title": title, "description": description})
