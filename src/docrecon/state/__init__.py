"""Persistent state below the API: keys, apps, session documents, COS credentials, objects and
uploads, tasks and their event logs. Protocols in :mod:`.base`; one SQL implementation each,
on SQLite files in ``data_dir`` (default) or on PostgreSQL (``DOCRECON_DATABASE_URL``).
:func:`database` tells a store where it lives."""

from __future__ import annotations

from pathlib import Path

from docrecon.config import Settings
from docrecon.state.apps import App, AppStore, CreatedApp
from docrecon.state.base import Apps, CosCredentials, CosObjects, CosUploads, Keys, SessionDocuments, Tasks
from docrecon.state.cos_credentials import CredentialStore, TempCredential
from docrecon.state.cos_objects import ObjectIndex, ObjectMeta
from docrecon.state.cos_uploads import Part, Upload, UploadStore
from docrecon.state.keys import ApiKey, CreatedKey, KeyStore
from docrecon.state.secret import derive, load_server_secret
from docrecon.state.sessions import SessionDoc, SessionDocs
from docrecon.state.tasks import EventKind, FailedPageInfo, JobState, TaskEvent, TaskRecord, TaskStore


def database(settings: Settings, name: str) -> str | Path:
    """Where the ``name`` stores live (``tasks``, ``keys``, ``lke``, ``cos``, ``qa``): the PostgreSQL URL
    when one is set (every store in that one database), else ``<data_dir>/<name>.sqlite3``."""
    return settings.database_url or settings.data_dir / f"{name}.sqlite3"


__all__ = [
    "ApiKey",
    "App",
    "AppStore",
    "Apps",
    "CosCredentials",
    "CosObjects",
    "CosUploads",
    "CreatedApp",
    "CreatedKey",
    "CredentialStore",
    "EventKind",
    "FailedPageInfo",
    "JobState",
    "KeyStore",
    "Keys",
    "ObjectIndex",
    "ObjectMeta",
    "Part",
    "SessionDoc",
    "SessionDocs",
    "SessionDocuments",
    "TaskEvent",
    "TaskRecord",
    "TaskStore",
    "Tasks",
    "TempCredential",
    "Upload",
    "UploadStore",
    "database",
    "derive",
    "load_server_secret",
]
