from rest_framework.response import Response
from rest_framework.views import APIView


class MeView(APIView):
    required_scopes = {"GET": "account:read"}

    def get(self, request):
        key = request.auth
        return Response(
            {
                "tenant": {"slug": key.tenant.schema_name, "name": key.tenant.name},
                "key": {"name": key.name, "type": key.type, "scopes": key.scopes},
            }
        )
