"""Who may do what on the COS endpoint (spec §3.3.6, server verification).

Only temporary credentials issued by :class:`CredentialStore` are accepted, and each may touch
exactly one object, the ``UploadPath`` it was issued for. Checks, in order (first failure wins):

1. a signature, in ``Authorization`` or in the query (presigned URL) - else ``AccessDenied``;
2. ``q-sign-algorithm=sha1``, a known ``q-ak`` (``InvalidAccessKeyId``), not expired (``AccessDenied``);
3. ``x-cos-security-token`` (header or query) matches (``InvalidToken``);
4. ``q-sign-time`` covers now, 60 s slack (``AccessDenied`` / ``RequestTimeTooSkewed``);
5. the bucket is the credential's (``NoSuchBucket`` / ``AccessDenied``) and the decoded path is
   exactly ``UploadPath`` (``AccessDenied``; ``/`` is allowed for the bucket-level upload listing);
6. the signature (``SignatureDoesNotMatch``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from docrecon.cos.errors import CosError
from docrecon.cos.sign import TOKEN, CosAuth, auth_from_pairs, parse_authorization, verify
from docrecon.state.cos_credentials import CredentialStore, TempCredential

SLACK = 60


@dataclass(frozen=True, slots=True)
class CosRequest:
    """What the signature covers, as received."""

    method: str
    #: URL-decoded path, leading "/"
    path: str
    #: decoded query pairs, in order (a bare ``?uploads`` is ``("uploads", "")``)
    query: Sequence[tuple[str, str]]
    #: header pairs, names lower-cased
    headers: Sequence[tuple[str, str]]
    bucket: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)


def _signature_of(req: CosRequest) -> CosAuth:
    try:
        header = req.header("authorization")
        if header:
            return parse_authorization(header)
        if req.param("q-signature") is not None:
            return auth_from_pairs({k: v for k, v in req.query if k.startswith("q-")})
    except ValueError as exc:
        raise CosError("AccessDenied", f"malformed signature: {exc}") from exc
    raise CosError("AccessDenied", "the request carries no signature")


def authorize(store: CredentialStore, default_bucket: str, req: CosRequest, now: float | None = None) -> TempCredential:
    """The credential that signed ``req``, if it may act on the requested object; else CosError."""
    t = time.time() if now is None else now
    auth = _signature_of(req)
    if auth.algorithm.lower() != "sha1":
        raise CosError("AccessDenied", f"unsupported q-sign-algorithm {auth.algorithm!r}")
    cred = store.get(auth.access_key)
    if cred is None:
        raise CosError("InvalidAccessKeyId", "the access key id does not exist")
    if not cred.live(t):
        raise CosError("AccessDenied", "the temporary credential has expired")
    if not store.token_ok(cred, req.header(TOKEN) or req.param(TOKEN)):
        raise CosError("InvalidToken", "x-cos-security-token is missing or does not match the credential")
    start, end = auth.window
    if t > end + SLACK:
        raise CosError("AccessDenied", "the request signature has expired")
    if t < start - SLACK:
        raise CosError("RequestTimeTooSkewed", "the request signature is not valid yet")
    if req.bucket != cred.bucket:
        if req.bucket != default_bucket:
            raise CosError("NoSuchBucket", "the specified bucket does not exist")
        raise CosError("AccessDenied", "the credential is not valid for this bucket")
    if req.path != cred.upload_path and req.path != "/":
        raise CosError("AccessDenied", "the credential may only access its own upload path")
    if not verify(auth, cred.secret_key, req.method, req.path, req.query, req.headers):
        raise CosError("SignatureDoesNotMatch", "the request signature we calculated does not match yours")
    return cred
