"""Content-Security-Policy: strict on the public site, Wagtail's needs in the admin.

The public pages load scripts, styles, fonts and images from the site itself only.
Wagtail's admin still writes a few inline scripts (inline panels, date pickers) and
inline styles, so under /admin/ those are allowed too; nothing else is.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.PORTAL_ADMIN_PREFIX):
            update = dict(settings.PORTAL_ADMIN_CSP_ADDITIONS)
            for directive, sources in (parts.update or {}).items():
                update[directive] = [*update.get(directive, []), *sources]
            return PolicyParts(parts.config, update, parts.replace, parts.nonce)
        return parts
