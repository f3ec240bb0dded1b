"""The public site's front page: what a citizen can do here."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.desk import render

router = APIRouter()


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html")
