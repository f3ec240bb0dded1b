"""Everything the law and the office configuration say, gathered in one immutable value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.calendar import WorkCalendar
from models.catalogue import Catalogue
from models.deadlines import DeadlineRulebook
from models.elections import ElectionBook
from models.letter_specs import LetterBook
from models.office import Office


@dataclass(frozen=True)
class Rulebook:
    offices: Mapping[str, Office]
    elections: ElectionBook
    deadlines: DeadlineRulebook
    catalogue: Catalogue
    calendar: WorkCalendar
    letters: LetterBook
