"""The lifecycle table: allowed moves pass, others raise with a reason a person can read."""

from __future__ import annotations

import itertools

import pytest

from models.stages import (
    ALLOWED_MOVES,
    TERMINAL,
    CaseEvent,
    IllegalMove,
    Stage,
    can_move,
    check_move,
)


def test_happy_path_is_allowed() -> None:
    path = [
        Stage.RECEIVED,
        Stage.REGISTERED,
        Stage.CLARIFICATION,
        Stage.UNDER_REVIEW,
        Stage.AWAITING_APPROVAL,
        Stage.APPROVED,
        Stage.REFERRED,
        Stage.CLOSED,
    ]
    for current, target in itertools.pairwise(path):
        check_move(current, target)


def test_skipping_approval_is_refused_with_reason() -> None:
    with pytest.raises(IllegalMove) as caught:
        check_move(Stage.UNDER_REVIEW, Stage.REFERRED)
    assert "Kajian dugaan pelanggaran" in caught.value.reason
    assert "Menunggu persetujuan pimpinan" in caught.value.reason


def test_terminal_stages_never_move() -> None:
    for stage in TERMINAL:
        assert stage not in ALLOWED_MOVES
        with pytest.raises(IllegalMove, match="sudah berakhir"):
            check_move(stage, Stage.REGISTERED)


def test_every_stage_is_reachable_and_labelled() -> None:
    reachable = {Stage.RECEIVED} | {t for targets in ALLOWED_MOVES.values() for t in targets}
    # DELEGATED is where cases delegated before issue 10 ended; a delegation now moves the case.
    assert reachable == set(Stage) - {Stage.DELEGATED}
    assert all(stage.label for stage in Stage)


def test_supervisor_can_send_back_for_review() -> None:
    assert can_move(Stage.AWAITING_APPROVAL, Stage.UNDER_REVIEW)
    assert not can_move(Stage.REFERRED, Stage.AWAITING_APPROVAL)


def test_every_event_reads_in_indonesian() -> None:
    from models.labels import EVENTS

    assert set(EVENTS) == set(CaseEvent)
    assert all(label and not label.startswith(("Case", "Ppk")) for label in EVENTS.values())
