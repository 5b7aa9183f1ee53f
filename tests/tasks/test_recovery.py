"""tasks.recovery.sweep_job_dirs: job folders left by killed workers are removed once stale."""

from __future__ import annotations

import os
import time
from pathlib import Path

from docrecon.tasks.recovery import sweep_job_dirs


def test_sweep_removes_only_stale_job_folders(tmp_path: Path) -> None:
    stale, fresh, other = tmp_path / "docrecon-job-old", tmp_path / "docrecon-job-new", tmp_path / "keep-me"
    for folder in (stale, fresh, other):
        folder.mkdir()
        (folder / "page.png").write_bytes(b"x")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    assert sweep_job_dirs(600, str(tmp_path)) == 1
    assert not stale.exists() and fresh.exists() and other.exists()
