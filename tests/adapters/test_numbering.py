"""Letter and case numbers: gapless, never twice, even under concurrent writers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.engine import Engine

from adapters.db.engine import unit_of_work
from adapters.db.letters import next_serial
from models.enums import ElectionType, ReportKind
from models.rules.numbering import case_number, letter_number
from models.rules.rulebook import Rulebook


def test_formats_follow_bawaslu_patterns(rulebook: Rulebook) -> None:
    office = rulebook.offices["bawaslu-kab-penajam-paser-utara"]
    assert (
        case_number(
            2,
            kind=ReportKind.LAPORAN,
            election=ElectionType.PILKADA,
            office=office,
            registered_on=date(2024, 10, 15),
        )
        == "002/LP/PW/Kab/64.09/X/2024"
    )
    assert (
        case_number(
            11,
            kind=ReportKind.TEMUAN,
            election=ElectionType.PEMILU,
            office=office,
            registered_on=date(2024, 3, 1),
        )
        == "011/TM/PL/Kab/64.09/III/2024"
    )
    assert (
        letter_number(7, classification="PP.01.02", office=office, issued_on=date(2024, 11, 27))
        == "007/PP.01.02/K.KI-09/11/2024"
    )


def test_a_rolled_back_transaction_gives_its_number_back(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        assert next_serial(session, office_key="x", year=2024, series="surat") == 1
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        assert next_serial(session, office_key="x", year=2024, series="surat") == 2
        raise RuntimeError("gagal sebelum commit")
    with unit_of_work(engine) as session:
        assert next_serial(session, office_key="x", year=2024, series="surat") == 2
        assert next_serial(session, office_key="x", year=2025, series="surat") == 1
        assert next_serial(session, office_key="y", year=2024, series="surat") == 1


def test_concurrent_writers_never_share_a_number(engine: Engine) -> None:
    taken: list[int] = []
    lock = threading.Lock()

    def writer() -> None:
        for _ in range(10):
            with unit_of_work(engine) as session:
                serial = next_serial(session, office_key="z", year=2024, series="surat")
            with lock:
                taken.append(serial)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(1, 41))
