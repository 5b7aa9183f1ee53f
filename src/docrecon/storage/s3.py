"""Objects in an S3-compatible bucket (AWS S3, MinIO, Tencent COS's S3 endpoint) through boto3.

Uploads stream through boto3's transfer manager (multipart above a threshold, parts read one at a
time), downloads stream the response body, retries are botocore's ``standard`` mode. boto3 errors
become :class:`~docrecon.errors.StorageError` (missing objects :class:`~docrecon.errors.NotFound`).
Built from :class:`~docrecon.config.StorageSettings` so worker processes can build their own.
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO, cast

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
)

from docrecon.config import StorageSettings
from docrecon.errors import DocreconError, NotFound, StorageError
from docrecon.storage.base import check_key

MiB = 1024 * 1024
_MISSING = frozenset({"NoSuchKey", "NotFound", "404"})
_DENIED = frozenset({"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"})
_METHODS = {"GET": "get_object", "PUT": "put_object"}


def make_client(settings: StorageSettings, max_attempts: int = 5) -> Any:
    """A boto3 S3 client for ``settings`` (credentials from the settings or boto3's default chain)."""
    config = Config(
        region_name=settings.s3_region,
        signature_version="s3v4",
        retries={"mode": "standard", "max_attempts": max_attempts},
        s3={"addressing_style": settings.s3_addressing_style},
        connect_timeout=10,
        read_timeout=60,
        # no CRC trailers / aws-chunked bodies unless an operation needs them: COS and older MinIO refuse them
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session = boto3.session.Session(
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=settings.s3_secret_access_key,
        region_name=settings.s3_region,
    )
    return session.client("s3", endpoint_url=settings.s3_endpoint_url, config=config)


class S3Storage:
    """The :class:`~docrecon.storage.base.Storage` Protocol on one bucket, every key under ``prefix``."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        *,
        multipart_threshold: int = 16 * MiB,
        multipart_chunksize: int = 16 * MiB,
        max_concurrency: int = 4,
    ) -> None:
        self._client = client
        self.bucket = bucket
        prefix = prefix.strip("/")
        self.prefix = check_key(prefix) + "/" if prefix else ""
        # at most max_concurrency parts of multipart_chunksize are in memory at once
        self._transfer = TransferConfig(
            multipart_threshold=multipart_threshold,
            multipart_chunksize=multipart_chunksize,
            max_concurrency=max_concurrency,
            preferred_transfer_client="classic",
        )

    @classmethod
    def from_settings(cls, settings: StorageSettings, *, max_attempts: int = 5, **kwargs: Any) -> S3Storage:
        """Build from ``storage.*`` settings; ``create_bucket`` makes the bucket if it is missing."""
        if not settings.s3_bucket:
            raise StorageError('storage.s3_bucket is required with storage.kind = "s3"')
        store = cls(make_client(settings, max_attempts), settings.s3_bucket, settings.s3_prefix, **kwargs)
        if settings.create_bucket:
            store.ensure_bucket(settings.s3_region)
        return store

    @property
    def endpoint(self) -> str:
        return str(self._client.meta.endpoint_url)

    def object_key(self, key: str) -> str:
        """The bucket key of a storage key (prefix added, key checked)."""
        return self.prefix + check_key(key)

    def ensure_bucket(self, region: str = "us-east-1") -> None:
        try:
            self._client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if _status(exc) != 404:
                raise self._error("check", "", exc) from exc
        except BotoCoreError as exc:
            raise self._error("check", "", exc) from exc
        extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        try:
            self._client.create_bucket(Bucket=self.bucket, **extra)
        except ClientError as exc:
            if _code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):  # another worker made it
                raise self._error("create the bucket for", "", exc) from exc
        except BotoCoreError as exc:
            raise self._error("create the bucket for", "", exc) from exc

    def put(self, key: str, data: bytes | BinaryIO) -> int:
        name = self.object_key(key)
        source: Any
        size: int | None = None
        if isinstance(data, bytes | bytearray):
            source, size = io.BytesIO(data), len(data)
        elif _seekable(data):
            start = data.tell()
            size = data.seek(0, io.SEEK_END) - start
            data.seek(start)
            source = data
        else:
            source = _Counting(data)
        try:
            self._client.upload_fileobj(source, self.bucket, name, Config=self._transfer)
        except (ClientError, BotoCoreError) as exc:
            raise self._error("store", name, exc) from exc
        return size if size is not None else source.count

    def open(self, key: str) -> BinaryIO:
        name = self.object_key(key)
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=name)["Body"]
        except (ClientError, BotoCoreError) as exc:
            raise self._error("read", name, exc, key) from exc
        return cast(BinaryIO, io.BufferedReader(_Body(body, self, name), 1 << 16))

    def size(self, key: str) -> int | None:
        name = self.object_key(key)
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=name)
        except (ClientError, BotoCoreError) as exc:
            err = self._error("look up", name, exc, key)
            if isinstance(err, NotFound):
                return None
            raise err from exc
        return int(head["ContentLength"])

    def delete(self, key: str) -> None:
        name = self.object_key(key)
        try:
            self._client.delete_object(Bucket=self.bucket, Key=name)
        except (ClientError, BotoCoreError) as exc:
            err = self._error("delete", name, exc, key)
            if not isinstance(err, NotFound):
                raise err from exc

    def presigned_url(self, key: str, ttl: int, method: str = "GET") -> str:
        """A URL that GETs (or PUTs) the object without credentials for ``ttl`` seconds.
        Signing is local (no request); the URL uses ``s3_endpoint_url``, so clients must reach it."""
        name = self.object_key(key)
        params: dict[str, str] = {"Bucket": self.bucket, "Key": name}
        if method == "GET":
            params["ResponseContentDisposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
        try:
            return str(self._client.generate_presigned_url(_METHODS[method], Params=params, ExpiresIn=ttl))
        except KeyError:
            raise StorageError(f"cannot presign {method} requests (GET or PUT)") from None
        except BotoCoreError as exc:
            raise self._error("presign", name, exc) from exc

    def _error(self, op: str, name: str, exc: Exception, key: str | None = None) -> DocreconError:
        where = f"s3://{self.bucket}/{name}" if name else f"bucket {self.bucket!r}"
        if isinstance(exc, ClientError):
            code, status = _code(exc), _status(exc)
            message = exc.response.get("Error", {}).get("Message") or ""
            if code == "NoSuchBucket":
                return StorageError(f"cannot {op} {where}: no bucket {self.bucket!r} at {self.endpoint}")
            if key is not None and (code in _MISSING or status == 404):
                return NotFound(f"no object {key}")
            if code in _DENIED or status == 403:
                return StorageError(
                    f"cannot {op} {where}: access denied ({code}); check storage.s3_access_key_id and "
                    "s3_secret_access_key (or the AWS_* credentials)"
                )
            return StorageError(f"cannot {op} {where}: {code} (HTTP {status}) {message}".rstrip())
        if isinstance(exc, NoCredentialsError):
            return StorageError(
                f"cannot {op} {where}: no S3 credentials; set storage.s3_access_key_id and s3_secret_access_key"
            )
        if isinstance(exc, EndpointConnectionError | ConnectTimeoutError):
            return StorageError(f"cannot {op} {where}: the S3 endpoint {self.endpoint} is unreachable ({exc})")
        return StorageError(f"cannot {op} {where}: {exc}")


class _Body(io.RawIOBase):
    """The streaming response body as a raw file; read errors become StorageError."""

    def __init__(self, body: Any, store: S3Storage, name: str) -> None:
        self._body = body
        self._store = store
        self._name = name

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        try:
            return bytes(self._body.read(None if size is None or size < 0 else size))
        except (BotoCoreError, OSError) as exc:
            raise self._store._error("read", self._name, exc) from exc

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._body.close()
        super().close()


class _Counting:
    """A non-seekable source as boto3 reads it (part by part), counting the bytes."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.count += len(data)
        return data


def _seekable(data: BinaryIO) -> bool:
    try:
        return bool(data.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int | None:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return int(status) if status is not None else None
