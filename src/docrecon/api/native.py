"""Native REST API (placeholder router, filled in below)."""
from fastapi import APIRouter

router = APIRouter(prefix="/v1")
