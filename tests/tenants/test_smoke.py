from tests.support.clients import api_client


def test_me_returns_the_keys_workspace(tenant):
    response = api_client(tenant).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["tenant"] == {"slug": "alpha", "name": "Alpha"}
