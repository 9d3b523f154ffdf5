"""The monthly table of approved statements (``StanceMonth``): its recount from scratch,
and the pause of its triggers around a bulk load.

The triggers themselves are in actors migration 0013, for PostgreSQL and SQLite: each write
to a stance that may move it into, out of or within a cell (its status, label, actor,
topic, date, primary or article), and each change of an article's publication date,
recounts the cells concerned from the stances (one index range of one actor and month).
On PostgreSQL the cell's row is locked before it is recounted, so that two transactions
writing into one cell recount it one after the other and the second sees the first's
stances.

A cell whose statements all left it (rejected, relabelled, moved, deleted) stays, with
``stances`` 0 and no latest stance, until the table is counted again. Its row is the lock
that orders the recounts of its cell, so the triggers keep it: a transaction waiting for
that lock while another deleted the row would find nothing to lock or update once it got
through. Readers leave such cells out: the pages read cells through
``actors.analysis.selectors.month_cells`` (``stances`` above 0) or sum the counts
(``actors.selectors.statements_count``); ``tests/actors/test_stance_months.py`` checks that
no page shows one.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from actors.models import Stance, StanceMonth

# read by the PostgreSQL triggers' conditions: 'paused' for the rest of a transaction
PAUSE_SETTING = "stancetracker.stance_month"


def _month_sql(column: str) -> str:
    undated = "DATE '0001-01-01'" if connection.vendor == "postgresql" else "'0001-01-01'"
    coalesced = f"COALESCE({column}, {undated})"
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {coalesced}::timestamp)::date"
    return f"strftime('%Y-%m-01', {coalesced})"


def stance_months_rebuild() -> int:
    """Recount the whole table from the stances (in one transaction); the number of cells."""
    cells = StanceMonth._meta.db_table
    partition = "s.actor_id, s.topic_id, s.label, month"
    newest = (
        "COALESCE(s.stated_on, '0001-01-01') DESC, r.published DESC NULLS LAST, s.id DESC"
        if connection.vendor != "postgresql"
        else "COALESCE(s.stated_on, DATE '0001-01-01') DESC, r.published DESC NULLS LAST, s.id DESC"
    )
    sql = f"""
        INSERT INTO {cells}
            (actor_id, topic_id, label, month, stances, latest_id, latest_on, latest_published)
        SELECT actor_id, topic_id, label, month, stances, id, stated_on, published
        FROM (
            SELECT s.actor_id, s.topic_id, s.label, s.id, s.stated_on, r.published, month,
                   COUNT(*) OVER (PARTITION BY {partition}) AS stances,
                   ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {newest}) AS newest_rank
            FROM (
                SELECT *, {_month_sql("stated_on")} AS month
                FROM actors_stance
                WHERE status = 'approved' AND primary_id IS NULL
            ) s
            JOIN articles_article r ON r.id = s.article_id
        ) ranked
        WHERE newest_rank = 1
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cells}")
        cursor.execute(sql)
        counted = cursor.rowcount
        if connection.vendor == "postgresql":
            # the planner's figures for a table that changed all at once
            cursor.execute(f"ANALYZE {cells}")
        return counted


@contextmanager
def stance_month_triggers_paused():
    """Within a transaction: writes to stances and articles leave the table alone, and it
    is recounted at the end. For bulk loads, where recounting a cell per row would cost as
    much again as the load. PostgreSQL only (a setting of the transaction that the triggers'
    conditions read); on SQLite, whose databases are small, the triggers go on working."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("Pause the monthly table's triggers within a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {PAUSE_SETTING} = 'paused'")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {PAUSE_SETTING} = 'on'")
    stance_months_rebuild()


def stance_month_cells_lock(stances: Iterable[Stance]) -> None:
    """Within a transaction that is about to approve ``stances`` one after another: lock the
    cells they will enter now, in one order. The triggers lock a cell until the transaction
    ends, so a transaction that writes into several cells as it goes could otherwise wait
    for another that waits for it (two bulk approvals, or a bulk approval and a single one,
    of stances in shared cells). PostgreSQL only; SQLite has one writer at a time."""
    if connection.vendor != "postgresql":
        return
    cells = StanceMonth._meta.db_table
    keys = sorted(
        {
            (
                s.actor_id,
                s.topic_id,
                s.label,
                (s.stated_on or StanceMonth.UNDATED_MONTH).replace(day=1),
            )
            for s in stances
        }
    )
    if not keys:
        return
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute(
                f"INSERT INTO {cells} (actor_id, topic_id, label, month, stances) "
                "VALUES (%s, %s, %s, %s, 0) "
                "ON CONFLICT (actor_id, topic_id, label, month) DO NOTHING",
                key,
            )
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(keys))
        cursor.execute(
            f"SELECT 1 FROM {cells} WHERE (actor_id, topic_id, label, month) IN ({rows}) "
            "ORDER BY actor_id, topic_id, label, month FOR UPDATE",
            [value for key in keys for value in key],
        )
