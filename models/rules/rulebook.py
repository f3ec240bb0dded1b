"""Everything the law and the office configuration say, gathered in one immutable value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.letters.specs import LetterBook
from models.rules.calendar import WorkCalendar
from models.rules.catalogue import Catalogue
from models.rules.deadlines import DeadlineRulebook
from models.rules.elections import ElectionBook
from models.rules.office import Office
from models.statistics import PositionBook


@dataclass(frozen=True)
class Rulebook:
    offices: Mapping[str, Office]
    elections: ElectionBook
    deadlines: DeadlineRulebook
    catalogue: Catalogue
    calendar: WorkCalendar
    letters: LetterBook
    positions: PositionBook
