"""API authentication by personal access token: `Authorization: Token <key>`.

Knox's header parsing and hashing, with this studio's rules: an expired token is
refused (and stays listed on its owner's page as expired until they create another),
a deactivated person's tokens stop at once, and each token notes when it was last used.
Read-only tokens are held to reading by `permissions.ReadOnlyTokenPermission`."""

import datetime as dt
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework.exceptions import AuthenticationFailed

from .models import AccessToken

INVALID_TOKEN = _("Invalid token.")
# "Last used" is kept to the minute: a busy script does not write the token on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class AccessTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALID_TOKEN) from None
        now = timezone.now()
        digest = hash_token(key)
        candidates = AccessToken.objects.unexpired(now).filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        for candidate in candidates.select_related("user"):
            if compare_digest(digest, candidate.digest):
                user, _token = self.validate_user(candidate)
                _note_use(candidate, now)
                return user, candidate
        raise AuthenticationFailed(INVALID_TOKEN)


def _note_use(token: AccessToken, now: dt.datetime) -> None:
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


class AccessTokenScheme(KnoxTokenScheme):
    """The token's security scheme in the OpenAPI schema, under DRF's old name for it."""

    target_class = "studio.tokens.AccessTokenAuthentication"
    name = "tokenAuth"
