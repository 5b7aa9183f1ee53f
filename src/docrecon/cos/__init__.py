"""The embedded COS-compatible endpoint of LKE real-time document parse (spec §3.3).

Clients upload with temporary credentials (:class:`CredentialStore`) through the official COS SDK;
:class:`CosService` keeps credentials, the object index and multipart uploads, and
:mod:`docrecon.cos.routes` serves the HTTP side.
"""

from docrecon.cos.crc64 import crc64
from docrecon.cos.errors import CosError
from docrecon.cos.service import CosService
from docrecon.cos.sign import presign
from docrecon.state.cos_credentials import CredentialStore, TempCredential
from docrecon.state.cos_objects import ObjectIndex, ObjectMeta

__all__ = [
    "CosError",
    "CosService",
    "CredentialStore",
    "ObjectIndex",
    "ObjectMeta",
    "TempCredential",
    "crc64",
    "presign",
]
