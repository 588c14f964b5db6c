"""Who may open a workspace page: every dashboard view is wrapped in one of these."""

from functools import wraps

from django.shortcuts import render

from .models import Role


def role_required(minimum: str):
    """Workspace pages: the member needs at least `minimum`; others get the 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = getattr(request, "membership", None)
            if membership is None or not membership.has_role(minimum):
                context = {"required_role": Role(minimum).label}
                return render(request, "403.html", context, status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


member_required = role_required(Role.VIEWER)
admin_required = role_required(Role.ADMIN)
