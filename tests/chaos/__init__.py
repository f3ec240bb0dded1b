"""Fault injection: `netra` commands killed at random moments (tests/flows/test_chaos_kills.py)."""

from typing import Any

import pytest

# The figures of each run of the kill test, printed at the end of pytest's summary.
CHAOS_FIGURES = pytest.StashKey[list[dict[str, Any]]]()
