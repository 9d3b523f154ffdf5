from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_to_anyone_without_reading_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.content == b"ok"
    assert answer["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
