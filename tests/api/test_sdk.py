"""The official SDK, unchanged, against a real server: the SSE call and the async pair."""

from __future__ import annotations

import io
import time
import urllib.request
import zipfile

import pytest
from apiserver import Server, b64, make_pdf
from sdk import client, events, sse_request
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.lkeap.v20240522 import models


def _zip(url: str) -> zipfile.ZipFile:
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/zip"
        return zipfile.ZipFile(io.BytesIO(resp.read()))


def test_sse_round_trip(server: Server) -> None:
    req = sse_request(
        FileType="PDF",
        FileBase64=b64(make_pdf(3)),
        Config={"TableResultType": "1", "ResultType": "5", "ReturnPageFormat": True},
    )
    evs = events(client(server).ReconstructDocumentSSE(req))
    assert evs[0]["Progress"] == "0" and evs[0]["ResponseType"] == "PROGRESS"
    progress = [int(e["Progress"]) for e in evs]
    assert progress == sorted(progress)
    assert all(e["Progress"] != "100" for e in evs[:-1])
    final = evs[-1]
    assert final["ResponseType"] == "TASK_RSP" and final["Progress"] == "100"
    assert final["SuccessPageNum"] == 3 and final["FailPageNum"] == 0 and final["FailedPages"] == []
    assert len({e["TaskId"] for e in evs}) == 1 and len({e["RequestId"] for e in evs}) == 1
    assert len(evs) >= 5  # 0, one per page, final
    names = _zip(final["DocumentRecognizeResultUrl"]).namelist()
    assert "document.md" in names and "document.json" in names and "document_page_3.md" in names
    md = _zip(final["DocumentRecognizeResultUrl"]).read("document.md").decode()
    assert "Hello docrecon page 2" in md and "<page_num>page 2</page_num>" in md


def test_long_sse_progress_never_repeats(server: Server) -> None:
    """A 100-page run (the SSE page limit): Progress "0" once, then strictly rising to "99", and
    "100" only on the final event (the first pages of 100 used to map to "0" again)."""
    evs = events(client(server).ReconstructDocumentSSE(sse_request(FileType="PDF", FileBase64=b64(make_pdf(100)))))
    progress = [int(e["Progress"]) for e in evs]
    assert progress[0] == 0 and progress.count(0) == 1
    assert all(a < b for a, b in zip(progress, progress[1:], strict=False))
    assert progress[-2:] == [99, 100] and evs[-1]["SuccessPageNum"] == 100


def test_sse_error_before_stream_is_sdk_exception(server: Server) -> None:
    req = sse_request(FileType="DOCX", FileBase64=b64(make_pdf(1)))
    with pytest.raises(TencentCloudSDKException) as info:
        client(server).ReconstructDocumentSSE(req)
    assert info.value.get_code() == "InvalidParameter.InvalidFileFormat"
    assert info.value.get_request_id()


def test_async_flow(server: Server) -> None:
    c = client(server)
    req = models.CreateReconstructDocumentFlowRequest()
    req._deserialize({"FileType": "PDF", "FileBase64": b64(make_pdf(2)), "Config": {"ResultType": "4"}})
    task_id = c.CreateReconstructDocumentFlow(req).TaskId
    assert task_id
    get = models.GetReconstructDocumentResultRequest()
    get.TaskId = task_id
    deadline = time.time() + 30
    while True:
        res = c.GetReconstructDocumentResult(get)
        if res.Status not in ("WaitExecute", "Processing"):
            break
        assert time.time() < deadline
        time.sleep(0.05)
    assert res.Status == "Success"
    assert res.Usage.SuccessPageNum == 2 and res.Usage.PageNumber == 2 and res.Usage.FileSize > 0
    names = _zip(res.DocumentRecognizeResultUrl).namelist()
    assert "document.md" in names and "document_page_2.md" in names and "document.json" not in names


def test_async_flow_failure_raises_task_code(server: Server) -> None:
    c = client(server)
    req = models.CreateReconstructDocumentFlowRequest()
    req._deserialize({"FileType": "PDF", "FileBase64": b64(make_pdf(2)), "FileStartPageNumber": 5})
    task_id = c.CreateReconstructDocumentFlow(req).TaskId
    get = models.GetReconstructDocumentResultRequest()
    get.TaskId = task_id
    deadline = time.time() + 30
    while True:
        try:
            res = c.GetReconstructDocumentResult(get)
        except TencentCloudSDKException as exc:
            assert exc.get_code() == "InvalidParameterValue.InvalidParameterValueLimit"
            return
        assert res.Status in ("WaitExecute", "Processing") and time.time() < deadline
        time.sleep(0.05)


def test_cancel_and_unknown_task(server: Server) -> None:
    c = client(server)
    cancel = models.CancelTaskRequest()
    cancel.TaskId = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(TencentCloudSDKException) as info:
        c.CancelTask(cancel)
    assert info.value.get_code() == "ResourceNotFound"
