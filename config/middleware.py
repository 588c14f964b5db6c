"""Middleware that browsers need and API calls (`/api/v1/`, authenticated by key) do not.

Each is the original wrapped by `browser_only`: sessions and authentication from the session,
messages, the Content-Security-Policy of pages, htmx, the console's two-factor check and
support access cost every API call their share of a bare view's time and serve it nothing.
CSRF, the security headers, locale (error messages in the caller's language), tenants, CORS
and the request log run for every request. Named in settings.MIDDLEWARE instead of the originals.
"""

from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.contrib.auth.middleware import AuthenticationMiddleware as _AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as _MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as _SessionMiddleware
from django_htmx.middleware import HtmxMiddleware as _HtmxMiddleware

from apps.accounts.middleware import SupportAccessMiddleware as _SupportAccessMiddleware
from apps.console.middleware import StaffAdminMiddleware as _StaffAdminMiddleware
from apps.core.middleware import browser_only

CSPMiddleware = browser_only(_CSPMiddleware)
SessionMiddleware = browser_only(_SessionMiddleware)
AuthenticationMiddleware = browser_only(_AuthenticationMiddleware)
MessageMiddleware = browser_only(_MessageMiddleware)
HtmxMiddleware = browser_only(_HtmxMiddleware)
StaffAdminMiddleware = browser_only(_StaffAdminMiddleware)
SupportAccessMiddleware = browser_only(_SupportAccessMiddleware)
