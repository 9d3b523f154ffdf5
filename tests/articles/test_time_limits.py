from __future__ import annotations

import threading
import time

import pytest

from articles.time_limits import TimeLimitExceeded, time_limit


def test_a_block_past_its_limit_is_interrupted():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        time.sleep(3)
    assert time.monotonic() - started < 1


def test_a_block_within_its_limit_finishes_and_leaves_no_alarm_behind():
    with time_limit(0.5):
        time.sleep(0.05)
    time.sleep(0.6)  # an alarm left armed would interrupt this


def test_outside_the_main_thread_the_block_runs_unlimited():
    outcome = []

    def work():
        with time_limit(0.1):
            time.sleep(0.3)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]
