"""CLI commands contributed by the service layer (``serve``, ``keys``): registered by docrecon.cli."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from docrecon.config import Settings, load_settings

if TYPE_CHECKING:
    from docrecon.state import AppStore, KeyStore

_CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML settings file (else DOCRECON_CONFIG, else defaults).",
)
_DATA = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data directory (keys, tasks, stored files). [DOCRECON_DATA_DIR]",
)


def _settings(config_file: Path | None, data_dir: Path | None) -> Settings:
    overrides = {"data_dir": data_dir} if data_dir else {}
    return load_settings(config_file, **overrides)


@click.command("serve")
@_CONFIG
@_DATA
@click.option("--host", help="Listen address. [DOCRECON_SERVER__HOST, default 127.0.0.1]")
@click.option("--port", type=int, help="Listen port. [DOCRECON_SERVER__PORT, default 8080]")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes (tasks at once); 0: API only, parses run on `docrecon worker` processes"
    " (runner.kind = celery). [DOCRECON_RUNNER__WORKERS]",
)
@click.option("--no-auth", is_flag=True, help="Accept unsigned requests (local experiments only).")
def serve(
    config_file: Path | None,
    data_dir: Path | None,
    host: str | None,
    port: int | None,
    workers: int | None,
    no_auth: bool,
) -> None:
    """Start the parse service (Tencent LKEAP-compatible API + native REST API)."""
    import uvicorn

    from docrecon.api.app import create_app
    from docrecon.state import KeyStore, database, load_server_secret

    settings = _settings(config_file, data_dir)
    if host:
        settings.server.host = host
    if port:
        settings.server.port = port
    if workers == 0:
        settings.runner = settings.runner.model_validate({**settings.runner.model_dump(), "kind": "celery"})
    elif workers:
        settings.runner.workers = workers
    if no_auth:
        settings.auth.enabled = False
    keys = KeyStore(database(settings, "keys"), load_server_secret(settings.data_dir))
    if settings.auth.enabled and not any(k.revoked is None for k in keys.list()):
        click.echo("No API key yet: create one with `docrecon keys create`.", err=True)
    keys.close()
    click.echo(
        f"docrecon serving on http://{settings.server.host}:{settings.server.port} "
        f"(data in {settings.data_dir}, "
        + ("API only: parses run on docrecon worker" if settings.runner.kind == "celery" else
           f"{settings.runner.workers} workers")
        + ")",
        err=True,
    )
    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_level=settings.server.log_level,
        timeout_graceful_shutdown=10,
    )


@click.group("keys")
def keys() -> None:
    """Manage API keys (SecretId/SecretKey) of the service."""


def _store(config_file: Path | None, data_dir: Path | None) -> KeyStore:
    from docrecon.state import KeyStore, database, load_server_secret

    settings = _settings(config_file, data_dir)
    return KeyStore(database(settings, "keys"), load_server_secret(settings.data_dir))


@keys.command("create")
@_CONFIG
@_DATA
@click.option("--name", default="", help="A label for the key.")
@click.option("--ttl", type=float, help="Seconds until expiry: makes a temporary key with a session token.")
@click.option("--action", "actions", multiple=True, help="Allow only this action (repeatable; default all).")
@click.option("--page-quota", type=int, help="Total pages this key may have parsed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def keys_create(
    config_file: Path | None,
    data_dir: Path | None,
    name: str,
    ttl: float | None,
    actions: tuple[str, ...],
    page_quota: int | None,
    as_json: bool,
) -> None:
    """Create a key; the SecretKey (and token) are shown once."""
    store = _store(config_file, data_dir)
    created = store.create(name, ttl, actions, page_quota)
    store.close()
    out = {"SecretId": created.key.secret_id, "SecretKey": created.key.secret_key}
    if created.token:
        out["Token"] = created.token
        out["ExpiredTime"] = str(int(created.key.expires or 0))
    if as_json:
        click.echo(json.dumps(out))
        return
    for k, v in out.items():
        click.echo(f"{k}: {v}")
    click.echo("Keep the SecretKey: it cannot be shown again.", err=True)


@keys.command("list")
@_CONFIG
@_DATA
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def keys_list(config_file: Path | None, data_dir: Path | None, as_json: bool) -> None:
    """List keys (never their secrets)."""
    store = _store(config_file, data_dir)
    rows = []
    now = time.time()
    for k in store.list():
        state = "revoked" if k.revoked else "expired" if k.expires and k.expires < now else "active"
        rows.append(
            {
                "SecretId": k.secret_id,
                "name": k.name,
                "state": state,
                "temporary": k.temporary,
                "created": int(k.created),
                "actions": list(k.actions),
                "page_quota": k.page_quota,
            }
        )
    store.close()
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        extra = f" quota={r['page_quota']}" if r["page_quota"] is not None else ""
        click.echo(f"{r['SecretId']}  {r['state']:8} {'temp ' if r['temporary'] else ''}{r['name']}{extra}")


@keys.command("revoke")
@_CONFIG
@_DATA
@click.argument("secret_id")
def keys_revoke(config_file: Path | None, data_dir: Path | None, secret_id: str) -> None:
    """Revoke a key: requests signed with it fail from now on."""
    store = _store(config_file, data_dir)
    ok = store.revoke(secret_id)
    store.close()
    if not ok:
        raise click.ClickException(f"no active key {secret_id}")
    click.echo(f"revoked {secret_id}")


@click.group("apps")
def apps() -> None:
    """Manage LKE applications (BotBizId + bot_app_key) for real-time document parse and chat."""


def _apps(config_file: Path | None, data_dir: Path | None) -> AppStore:
    from docrecon.state import AppStore, database

    return AppStore(database(_settings(config_file, data_dir), "lke"))


@apps.command("create")
@_CONFIG
@_DATA
@click.option("--name", default="", help="A label for the application.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def apps_create(config_file: Path | None, data_dir: Path | None, name: str, as_json: bool) -> None:
    """Create an application; its bot_app_key is shown once."""
    store = _apps(config_file, data_dir)
    created = store.create(name)
    store.close()
    out = {"BotBizId": created.app.app_id, "bot_app_key": created.bot_app_key, "name": name}
    if as_json:
        click.echo(json.dumps(out))
        return
    for k, v in out.items():
        click.echo(f"{k}: {v}")
    click.echo("Keep the bot_app_key: it cannot be shown again.", err=True)


@apps.command("list")
@_CONFIG
@_DATA
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def apps_list(config_file: Path | None, data_dir: Path | None, as_json: bool) -> None:
    """List applications (never their keys)."""
    store = _apps(config_file, data_dir)
    rows = [
        {"BotBizId": a.app_id, "name": a.name, "state": "active" if a.active else "revoked", "created": int(a.created)}
        for a in store.list()
    ]
    store.close()
    if as_json:
        click.echo(json.dumps(rows))
        return
    for r in rows:
        click.echo(f"{r['BotBizId']}  {r['state']:8} {r['name']}")


@apps.command("revoke")
@_CONFIG
@_DATA
@click.argument("app_id")
def apps_revoke(config_file: Path | None, data_dir: Path | None, app_id: str) -> None:
    """Revoke an application: its bot_app_key is refused from now on."""
    store = _apps(config_file, data_dir)
    ok = store.revoke(app_id)
    store.close()
    if not ok:
        raise click.ClickException(f"no active application {app_id}")
    click.echo(f"revoked {app_id}")


@click.command("worker")
@_CONFIG
@_DATA
@click.option("--concurrency", type=click.IntRange(min=1), help="Parses at once. [DOCRECON_RUNNER__WORKERS]")
@click.option("--loglevel", default="INFO", show_default=True, help="Celery log level.")
def worker(config_file: Path | None, data_dir: Path | None, concurrency: int | None, loglevel: str) -> None:
    """Run parse workers for `docrecon serve --workers 0` (Celery on the Redis broker)."""
    import uuid

    from docrecon.tasks.celery_runner import QUEUE, advertise, make_celery, wait_for_broker
    from docrecon.tasks.recovery import sweep_job_dirs

    settings = _settings(config_file, data_dir)
    runner = settings.runner.model_validate({**settings.runner.model_dump(), "kind": "celery"})
    settings.runner = runner
    sweep_job_dirs(runner.task_timeout + 60)
    wait_for_broker(settings)
    n = concurrency or runner.workers
    name = f"docrecon-{uuid.uuid4().hex[:8]}"
    click.echo(f"docrecon worker {name} on {runner.broker_url} ({n} at once)", err=True)
    stop = advertise(settings, name, n)
    try:
        make_celery(settings).worker_main(
            [
                "worker",
                f"--concurrency={n}",
                f"--loglevel={loglevel}",
                f"--queues={QUEUE}",
                f"--hostname={name}@%h",
                "--without-gossip",
                "--without-mingle",
            ]
        )
    finally:
        stop.set()


COMMANDS: list[click.Command] = [serve, keys, apps, worker]
