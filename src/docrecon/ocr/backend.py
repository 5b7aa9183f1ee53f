"""Where the OCR models run: onnxruntime (always there) or OpenVINO in bfloat16 (faster).

Both run the same float ONNX files from the ``rapidocr`` wheel. On a CPU with native bfloat16
arithmetic (AVX512-BF16 or AMX), OpenVINO runs the recogniser about 1.8 times faster than
onnxruntime for the same reading (measured on the benchmark pages and the PubTabNet table images,
see docs/ocr.md). Elsewhere OpenVINO would only run float32, no faster than onnxruntime, so
``auto`` picks onnxruntime there, when ``openvino`` is not installed, and in a process whose
address space is limited below ``OPENVINO_MIN_ADDRESS_SPACE`` (OpenVINO reserves more of it).

OpenVINO is imported without its model-conversion tool (``openvino.tools.ovc``): importing
that tool reports an "import" event to Google Analytics through ``openvino_telemetry``, which
counts a machine without a consent file as consenting. docrecon never converts models and sends
nothing anywhere.

A runner is a callable ``(batch: float32 N x C x H x W) -> first output``, thread-safe. OpenVINO
keeps one infer request per calling thread; its output array is only valid until that thread's
next call (rapidocr decodes it at once).
"""

from __future__ import annotations

import os
import resource
import sys
import threading
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

Backend = Literal["auto", "onnxruntime", "openvino"]
Floats = npt.NDArray[np.float32]
BACKENDS: tuple[str, ...] = ("auto", "onnxruntime", "openvino")
#: the environment variable that overrides ``auto`` (``onnxruntime`` or ``openvino``)
BACKEND_ENV = "DOCRECON_OCR_BACKEND"


class Runner(Protocol):
    def __call__(self, batch: Floats) -> Floats: ...


class OrtRunner:
    """An onnxruntime session; thread spinning off (the machine is shared)."""

    def __init__(self, model: Path, threads: int) -> None:
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
        self._input = self.session.get_inputs()[0].name

    def __call__(self, batch: Floats) -> Floats:
        out: Floats = self.session.run(None, {self._input: batch})[0]
        return out


#: imported by ``import openvino`` for ``openvino.convert_model``; it reports usage when imported
_OVC = "openvino.tools.ovc"


def import_openvino() -> Any:
    """``import openvino`` with its model-conversion tool (and so its telemetry) left out.

    The tool stays importable later: only this first import skips it."""
    if "openvino" in sys.modules:
        return sys.modules["openvino"]
    blocked = _OVC not in sys.modules
    if blocked:
        sys.modules[_OVC] = None  # type: ignore[assignment]  # makes openvino's own import fail quietly
    try:
        import openvino
    finally:
        if blocked and sys.modules.get(_OVC, ...) is None:
            del sys.modules[_OVC]
    return openvino


class OvRunner:
    """An OpenVINO model compiled for the CPU. ``streams`` requests can run at once (one per
    calling thread, ``threads`` CPU threads shared among them). ``pad_width``: the last axis is
    zero-padded up to a multiple of it, so a few input shapes recur (OpenVINO prepares each new
    shape once, which costs about 15 ms)."""

    def __init__(self, model: Path, threads: int, streams: int = 1, bf16: bool = True, pad_width: int = 0) -> None:
        ov = import_openvino()
        core = ov.Core()
        config: dict[str, Any] = {
            "INFERENCE_NUM_THREADS": threads,
            "NUM_STREAMS": streams,
            "INFERENCE_PRECISION_HINT": "bf16" if bf16 else "f32",
            "ENABLE_CPU_PINNING": False,  # the machine is shared
        }
        self.model = core.compile_model(core.read_model(str(model)), "CPU", config)
        # pybind11 sets up its numpy API on first use; when that first use happens in two OCR
        # threads at once they can deadlock (seen: both waiting in the setup, the parse hung),
        # so it happens here, in the thread that loads the engine
        _ = ov.Tensor(np.zeros(1, dtype=np.float32)).data
        self.pad_width = pad_width
        self._local = threading.local()

    def __call__(self, batch: Floats) -> Floats:
        if self.pad_width:
            extra = padded_width(batch.shape[-1], self.pad_width) - batch.shape[-1]
            if extra:
                batch = np.pad(batch, [(0, 0)] * (batch.ndim - 1) + [(0, extra)])
        request = getattr(self._local, "request", None)
        if request is None:
            request = self._local.request = self.model.create_infer_request()
        request.infer({0: np.ascontiguousarray(batch)})
        out: Floats = request.get_output_tensor(0).data
        return out


#: inputs up to ``LINEAR_STEPS`` pads wide are padded to a multiple of the pad; wider ones to the
#: next width of a ladder rising by ``LADDER`` (at most that much padding): OpenVINO keeps the
#: working memory of every input shape it has seen (some 35 MB of address space each for wide
#: recogniser inputs), so a scan with lines of fifty different widths took over 1.5 GB
LINEAR_STEPS = 10
LADDER = 1.25


def padded_width(width: int, pad: int) -> int:
    """The width an input of ``width`` is padded to (see ``LINEAR_STEPS``)."""
    step = -(-width // pad) * pad
    if step <= LINEAR_STEPS * pad:
        return step
    rung = float(LINEAR_STEPS * pad)
    while rung < width:
        rung *= LADDER
    return -(-int(rung) // pad) * pad


def openvino_bf16() -> bool:
    """OpenVINO is installed and this CPU does bfloat16 natively."""
    try:
        ov = import_openvino()
    except ImportError:
        return False
    try:
        return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except RuntimeError:
        return False


#: address space that OpenVINO needs: with bfloat16 on AMX its compiled kernels and working
#: memory reserve about 1.9 GB once det, cls and rec have run (onnxruntime: about 1.2 GB), so
#: under a tighter ``RLIMIT_AS`` the parse would fail at random; ``auto`` then takes onnxruntime
OPENVINO_MIN_ADDRESS_SPACE = 3 * 1024**3


def address_space_limit() -> int | None:
    """This process's soft ``RLIMIT_AS`` in bytes, or None when unlimited."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return None if soft == resource.RLIM_INFINITY else soft


def resolve(backend: str) -> str:
    """``auto`` (or the ``DOCRECON_OCR_BACKEND`` override) made concrete."""
    if backend == "auto":
        backend = os.environ.get(BACKEND_ENV, "auto") or "auto"
    if backend not in BACKENDS:
        raise ValueError(f"unknown OCR backend {backend!r} (one of {', '.join(BACKENDS)})")
    if backend == "auto":
        limit = address_space_limit()
        roomy = limit is None or limit >= OPENVINO_MIN_ADDRESS_SPACE
        return "openvino" if roomy and openvino_bf16() else "onnxruntime"
    return backend


def make_runner(backend: str, model: Path, threads: int, streams: int = 1, pad_width: int = 0) -> Runner:
    """A runner for ``model`` on a concrete backend (see :func:`resolve`)."""
    if backend == "openvino":
        return OvRunner(model, threads * streams, streams, pad_width=pad_width)
    return OrtRunner(model, threads)
