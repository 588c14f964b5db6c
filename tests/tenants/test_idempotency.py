"""Idempotency-Key on POSTs: replay, conflicts, failures not stored, concurrency, expiry."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Invitation
from apps.tenants.models import IdempotencyRecord, Membership
from apps.tenants.tasks import idempotency_purge
from tests.support.clients import bearer, http_call, new_key, post_json
from tests.support.workspaces import member

INVITE = {"email": "once@example.test", "role": "viewer"}


def test_a_retried_post_replays_the_first_answer_and_does_the_work_once(tenant):
    # Given a key and a first invitation made with an Idempotency-Key
    client = bearer(new_key(tenant, scopes=["team:write"])[1])
    first = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="retry-1")

    # When the client retries the same request with the same key
    second = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="retry-1")

    # Then it gets the same status and body, marked as replayed, and only one invitation exists
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Invitation.objects.filter(email=INVITE["email"]).count() == 1


def test_the_same_idempotency_key_with_another_body_is_422(tenant):
    # Given a request already made with a key
    client = bearer(new_key(tenant, scopes=["team:write"])[1])
    post_json(client, "/api/v1/invitations", INVITE, idempotency_key="reuse-1")

    # When the same key comes with a different body
    response = post_json(
        client, "/api/v1/invitations", {**INVITE, "email": "other@example.test"}, idempotency_key="reuse-1"
    )

    # Then it is refused and the second invitation is not made
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert not Invitation.objects.filter(email="other@example.test").exists()


def test_idempotency_keys_belong_to_one_api_key(tenant):
    # Given a request made by one key with Idempotency-Key "shared"
    post_json(bearer(new_key(tenant)[1]), "/api/v1/invitations", INVITE, idempotency_key="shared")

    # When another key of the same workspace uses the same Idempotency-Key
    response = post_json(
        bearer(new_key(tenant)[1]), "/api/v1/invitations", {**INVITE, "email": "b@example.test"}, "shared"
    )

    # Then its request is its own: executed, not replayed nor refused
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Invitation.objects.filter(email="b@example.test").exists()


def test_a_failed_request_stores_nothing_and_can_be_retried(tenant):
    # Given an invitation refused because the person is already a member
    alice = member(tenant, email=INVITE["email"], role="viewer")
    client = bearer(new_key(tenant)[1])
    refused = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="after-fix")
    assert refused.status_code == 409

    # When the cause is fixed and the client retries with the same key
    Membership.objects.filter(user=alice, tenant=tenant).delete()
    retried = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="after-fix")

    # Then the retry really runs
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


def test_a_5xx_answer_is_rolled_back_and_never_stored(tenant, test_views):
    # Given an endpoint whose first attempt creates a row then answers 503
    client = bearer(new_key(tenant)[1])
    failed = post_json(client, "/api/v1/test/flaky", {"email": "f@example.test", "status": 503}, "flaky-1")

    # When the client retries with the same key and the endpoint succeeds
    retried = post_json(client, "/api/v1/test/flaky", {"email": "f@example.test", "status": 503}, "flaky-1")

    # Then neither 503 was stored nor replayed, and the failed attempts' rows were rolled back
    assert failed.status_code == retried.status_code == 503
    assert "Idempotent-Replayed" not in retried
    assert not IdempotencyRecord.objects.filter(key="flaky-1").exists()
    assert not Invitation.objects.filter(email="f@example.test").exists()


@pytest.mark.parametrize("status", [400, 204])
def test_a_non_5xx_answer_returned_by_the_view_is_replayed(tenant, test_views, status):
    # Given an endpoint that answered `status` (with or without a body) to a request with a key
    client = bearer(new_key(tenant)[1])
    first = post_json(client, "/api/v1/test/flaky", {"email": "g@example.test", "status": status}, "k-1")

    # When the same request is retried
    second = post_json(client, "/api/v1/test/flaky", {"email": "g@example.test", "status": status}, "k-1")

    # Then the stored answer comes back and the work was done once
    assert first.status_code == second.status_code == status
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Invitation.objects.filter(email="g@example.test").count() == 1


@pytest.mark.parametrize("idempotency_key", ["x" * 256, "", "caf\u00e9"])
def test_an_invalid_idempotency_key_is_400_and_does_nothing(tenant, idempotency_key):
    # When the header is too long, empty or not ASCII
    client = bearer(new_key(tenant)[1])
    response = post_json(client, "/api/v1/invitations", INVITE, idempotency_key=idempotency_key)

    # Then the request is refused before any work
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_invalid"
    assert not Invitation.objects.filter(email=INVITE["email"]).exists()


def test_a_key_of_255_characters_is_accepted(tenant):
    response = post_json(bearer(new_key(tenant)[1]), "/api/v1/invitations", INVITE, "k" * 255)

    assert response.status_code == 201


def test_an_answer_older_than_24_hours_is_not_replayed(tenant):
    # Given an answer stored more than 24 hours ago
    client = bearer(new_key(tenant)[1])
    first = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="old-1")
    IdempotencyRecord.objects.filter(key="old-1").update(created_at=timezone.now() - timedelta(hours=25))

    # When the key is used again
    again = post_json(client, "/api/v1/invitations", INVITE, idempotency_key="old-1")

    # Then the request runs anew
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]


def test_the_purge_task_deletes_only_expired_answers(tenant):
    # Given one fresh and one expired stored answer
    client = bearer(new_key(tenant)[1])
    post_json(client, "/api/v1/invitations", INVITE, idempotency_key="fresh")
    post_json(client, "/api/v1/invitations", {**INVITE, "email": "b@example.test"}, idempotency_key="stale")
    IdempotencyRecord.objects.filter(key="stale").update(created_at=timezone.now() - timedelta(hours=25))

    # When the purge task runs
    deleted = idempotency_purge.apply().get()

    # Then only the expired answer is gone
    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


def test_concurrent_duplicates_do_the_work_once(tenant, live_server):
    # Given a key, and eight identical requests sent at the same time over real HTTP
    _key, raw = new_key(tenant)
    headers = {"Idempotency-Key": "race-1"}

    # When they all arrive together
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(
                lambda _: http_call(live_server, "POST", "/api/v1/invitations", raw, INVITE, headers),
                range(8),
            )
        )

    # Then one did the work; the others replayed its answer (or were told it is in progress)
    statuses = [status for status, _headers, _body in results]
    assert set(statuses) <= {201, 409}
    created = [(h, body) for status, h, body in results if status == 201]
    assert len([h for h, _body in created if h.get("Idempotent-Replayed") != "true"]) == 1
    assert len({body["id"] for _h, body in created}) == 1
    assert Invitation.objects.filter(email=INVITE["email"]).count() == 1


def test_a_duplicate_of_a_request_still_running_gets_409_then_can_retry(tenant, settings):
    # Given a first request holding Idempotency-Key "slow" in a transaction that has not ended
    key, raw = new_key(tenant)
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    claimed, release = threading.Event(), threading.Event()

    def first_request_in_flight():
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    api_key_id=key.pk, key="slow", fingerprint="-", status_code=0, body={}
                )
                claimed.set()
                release.wait(10)
                transaction.set_rollback(True)  # the first request fails
        finally:
            connection.close()

    holder = threading.Thread(target=first_request_in_flight)
    holder.start()
    assert claimed.wait(10)

    # When a duplicate arrives while it runs, and again once it has failed
    try:
        duplicate = post_json(bearer(raw), "/api/v1/invitations", INVITE, idempotency_key="slow")
    finally:
        release.set()
        holder.join()
    retry = post_json(bearer(raw), "/api/v1/invitations", INVITE, idempotency_key="slow")

    # Then the duplicate is told to wait, and the retry does the work
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "idempotency_in_progress"
    assert retry.status_code == 201
    assert Invitation.objects.filter(email=INVITE["email"]).count() == 1
