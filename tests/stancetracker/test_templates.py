"""Templates in production are compiled once per process, not on every request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django
django.setup()
from django.template.loader import get_template
first = get_template("_base.html").template
print(first is get_template("_base.html").template)
"""


@pytest.mark.parametrize(("debug", "kept"), [("false", "True"), ("true", "False")])
def test_compiled_templates_are_kept_unless_debugging(debug, kept):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stancetracker.settings",
        "DEBUG": debug,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "stancetracker.example",
    }
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == kept
