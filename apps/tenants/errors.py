from apps.core.errors import ApplicationError


class InvalidSlug(ApplicationError):
    code = "invalid_slug"
    status = 400
    message = "This workspace address is not allowed."


class SlugTaken(ApplicationError):
    code = "slug_taken"
    status = 409
    message = "This workspace address is already taken."


class InvalidScope(ApplicationError):
    code = "invalid_scope"
    status = 400
    message = "Unknown scope."


class InvitationInvalid(ApplicationError):
    code = "invitation_invalid"
    status = 404
    message = "This invitation does not exist, has expired or was already used."


class AlreadyMember(ApplicationError):
    code = "already_member"
    status = 409
    message = "This person is already a member of the workspace."


class LastOwner(ApplicationError):
    code = "last_owner"
    status = 409
    message = "A workspace needs at least one owner."


class RoleNotAllowed(ApplicationError):
    code = "role_not_allowed"
    status = 403
    message = "Only an owner can grant or change the owner role."
