"""A :class:`Job` as JSON, stored with its task so a restart or a lost worker can run it again
from the stored input (durable tasks)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from docrecon.options import OcrMode, ParseOptions
from docrecon.renderers.options import ImageMode, RenderOptions, TableMode
from docrecon.tasks.base import Job


def job_to_json(job: Job) -> str:
    return json.dumps(asdict(job), separators=(",", ":"))


def job_from_json(text: str) -> Job:
    data: dict[str, Any] = json.loads(text)
    opts = dict(data.pop("options"))
    opts["ocr"] = OcrMode(opts["ocr"])
    render = dict(data.pop("render"))
    render["tables"] = TableMode(render["tables"])
    render["images"] = ImageMode(render["images"])
    return Job(**data, options=ParseOptions(**opts), render=RenderOptions(**render))
