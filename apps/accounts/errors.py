from django.utils.translation import gettext_lazy as _

from apps.core.errors import ApplicationError


class InvitationInvalid(ApplicationError):
    code = "invitation_invalid"
    status = 404
    message = _("This invitation does not exist, has expired or was already used.")


class AlreadyMember(ApplicationError):
    code = "already_member"
    status = 409
    message = _("This person is already a member of the workspace.")


class DomainInvalid(ApplicationError):
    code = "domain_invalid"
    status = 422
    message = _("Enter a domain name such as studio.example.com (not under the Luneo domain).")


class DomainTaken(ApplicationError):
    code = "domain_taken"
    status = 409
    message = _("This domain is already used by another workspace.")


class DomainNotVerified(ApplicationError):
    code = "domain_not_verified"
    status = 409
    message = _("The TXT record with this workspace's token was not found yet. DNS changes can take hours.")
