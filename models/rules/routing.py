"""Who receives the referral (penerusan) for one reported person (DOMAIN.md §1, §2 step 6).

- An election crime goes to Sentra Gakkumdu, whoever committed it (UU 7/2017 Pasal 280(3) jo.
  494; UU 10/2016 Pasal 71 jo. 188).
- ASN (PNS, CPNS, PPPK): KASN for referrals sent before the switch date, BKN on or after it. KASN
  was dissolved by UU 20/2023 and its neutrality role passed to BKN in September 2024 [S]; the
  switch date is configuration (config/elections.yaml), never a constant here.
- Non-ASN government staff (PPNPN/honorer): their own agency's PPK, under their work contract
  (SE MenPANRB 1/2023 [S]).
- Village heads, TNI, Polri and anyone else: the institution competent for them (LAINNYA).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from models.enums import Authority, Employment

AUTHORITY_NAMES: Final[dict[Authority, str]] = {
    Authority.KASN: "Komisi Aparatur Sipil Negara",
    Authority.BKN: "Badan Kepegawaian Negara",
    Authority.PPK: "Pejabat Pembina Kepegawaian",
    Authority.GAKKUMDU: "Sentra Penegakan Hukum Terpadu",
    Authority.LAINNYA: "Instansi lain yang berwenang",
}


def route(
    employment: Employment, *, referral_date: date, switch_date: date, crime: bool = False
) -> Authority:
    """The authority for a referral sent on `referral_date`."""
    if crime:
        return Authority.GAKKUMDU
    if employment.is_asn:
        return Authority.KASN if referral_date < switch_date else Authority.BKN
    if employment is Employment.PPNPN:
        return Authority.PPK
    return Authority.LAINNYA
