"""A letter saved once with fixed entry metadata (`adapters.docx.save_normalized`) is the same
file, byte for byte, as python-docx's own save followed by `normalize_docx` (what Netra did
before), for every letter kind, with and without the verification footer; and the text the
renderer hands over is the text a reader gets from the saved bytes."""

from __future__ import annotations

import io

import pytest
from docx.document import Document as DocumentObject

from adapters import docx as docx_adapter
from adapters.docx import docx_text, normalize_docx, render_docx
from models.letters.kinds import LETTER_MODELS
from tests.adapters.test_letters import make_head, sample


def _saved_then_normalized(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_docx(buffer.getvalue())


@pytest.mark.parametrize("verified", [False, True], ids=["internal", "outbound"])
@pytest.mark.parametrize("kind", sorted(LETTER_MODELS))
def test_one_save_gives_the_same_bytes_and_text(
    kind: str, verified: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = (
        {"verification_code": "ABCD-EFGH-JKMN", "verification_url": "https://netra.example/v/1"}
        if verified
        else {}
    )
    head, body = make_head(**extra), sample(kind)[0]
    once = render_docx(head, body)
    monkeypatch.setattr(docx_adapter, "save_normalized", _saved_then_normalized)
    before = render_docx(head, body)
    assert once.data == before.data
    assert once.text == docx_text(once.data)
    assert once.text.strip()
