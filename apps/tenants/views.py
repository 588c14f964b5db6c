from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .services import login_handoff_redeem, login_handoff_url


@login_required
def workspaces(request):
    """Public host: the workspaces the user belongs to, each opened through a handoff link."""
    memberships = request.user.memberships.select_related("tenant").order_by("tenant__name")
    links = [(m, login_handoff_url(user=request.user, tenant=m.tenant)) for m in memberships]
    if len(links) == 1:
        return redirect(links[0][1])
    return render(request, "tenants/workspaces.html", {"links": links})


def handoff(request):
    """Workspace host: log in with a one-time token minted on another Luneo host."""
    user = login_handoff_redeem(token=request.GET.get("token", ""), tenant=request.tenant)
    if user is None:
        return redirect("account_login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("/")
