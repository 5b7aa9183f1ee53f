"""Both model backends (onnxruntime, OpenVINO bfloat16) read the same, and ``auto`` resolves."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from textimages import text_image

from docrecon.ocr import read_page
from docrecon.ocr.backend import BACKEND_ENV, OvRunner, openvino_bf16, resolve
from docrecon.ocr.rapid import REC_MODEL, RapidOcrEngine, _model_dir, det_input

LINES = ["Invoice 2024-117: total 1,284.50 EUR", "光学字符识别将扫描页面转换为文本", "Hazard ratio 0.839 (0.310-2.268)"]


@pytest.mark.parametrize("backend", ["onnxruntime", "openvino"])
def test_backends_read_the_same_lines(backend: str) -> None:
    engine = RapidOcrEngine(backend=backend)  # type: ignore[arg-type]
    page = read_page(text_image(LINES, size=22, width=560), engine)
    assert engine.backend == backend
    assert [ln.text for ln in page.lines] == LINES
    assert all(ln.confidence > 0.9 for ln in page.lines)


def test_auto_picks_openvino_only_with_bfloat16(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BACKEND_ENV, raising=False)
    assert resolve("auto") == ("openvino" if openvino_bf16() else "onnxruntime")
    monkeypatch.setenv(BACKEND_ENV, "onnxruntime")
    assert resolve("auto") == "onnxruntime"
    assert resolve("openvino") == "openvino"  # an explicit choice beats the environment
    with pytest.raises(ValueError, match="unknown OCR backend"):
        resolve("tensorrt")


def test_openvino_pads_widths_to_few_shapes() -> None:
    runner = OvRunner(_model_dir() / REC_MODEL, threads=1, pad_width=32)
    x = np.zeros((1, 3, 48, 170), dtype=np.float32)
    out = runner(x)
    assert out.shape[0] == 1 and out.shape[1] == 192 // 8  # 170 -> 192 px, 8 px per step


def test_detector_input_matches_rapidocr() -> None:
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    img = (np.random.default_rng(1).random((301, 517, 3)) * 255).astype(np.uint8)
    ref = DetPreProcess(100_000, "max", [0.5] * 3, [0.5] * 3)(img)
    assert ref is not None
    ours = det_input(img)
    assert ours.shape == ref.shape
    assert np.abs(ours - ref).max() < 1e-5


def test_openvino_runs_without_its_telemetry(tmp_path: Path) -> None:
    """``import openvino`` would import its conversion tool, which reports usage to Google
    Analytics and writes ~/intel/ (no consent file counts as consent): docrecon leaves it out."""
    code = (
        "import sys, numpy as np\n"
        "from docrecon.ocr.rapid import RapidOcrEngine\n"
        "e = RapidOcrEngine(backend='openvino')\n"
        "e.recognize(np.full((60, 200, 3), 255, np.uint8))\n"
        "print(sorted(m for m in sys.modules if 'telemetry' in m or m.startswith('openvino.tools')))\n"
    )
    env = {**os.environ, "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert not (tmp_path / "intel").exists()
