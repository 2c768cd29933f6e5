"""How each API operation says who may call it.

Every operation passes `auth=` explicitly: `PUBLIC` (anyone) or `TOKEN` (a bearer token). The
meta-test in tests/api/test_main_openapi.py fails for an operation that leaves it unsaid.
"""

from ninja.security import HttpBearer

from podium.accounts.tokens import token_for_secret


class BearerToken(HttpBearer):
    """`Authorization: Bearer <secret>` of an active API token; `request.auth` becomes the ApiToken."""

    def authenticate(self, request, token):
        return token_for_secret(token)


PUBLIC = None
TOKEN = BearerToken()
