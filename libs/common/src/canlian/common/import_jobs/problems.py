"""What a caller may see of import jobs: a job not found (or not in the caller's region), and
the problems a job ends with when the import itself did not raise one."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder

from canlian.common.errors import PROBLEM_TYPE_BASE, ProblemError
from canlian.common.i18n import Language, Message


class ImportJobNotFound(ProblemError):
    """A job of another region answers as one that does not exist."""

    status = 404
    code = "import-job-not-found"
    title = Message(zh="未找到导入任务", en="Import job not found")
    detail = Message(
        zh="在您的管辖范围内未找到导入任务 {job_id}",
        en="No import job {job_id} within your region scope",
    )


class ImportInterrupted(ProblemError):
    status = 503
    code = "import-interrupted"
    title = Message(zh="导入任务中断", en="Import interrupted")
    detail = Message(
        zh="处理该导入的服务进程已 {attempts} 次中断,未写入任何数据;请把文件拆分后重新导入",
        en="The process running this import stopped {attempts} times and nothing was written; "
        "split the file and import it again",
    )


class ImportCrashed(ProblemError):
    status = 500
    code = "import-failed"
    title = Message(zh="导入失败", en="Import failed")
    detail = Message(
        zh="导入时发生内部错误,未写入任何数据;请将任务编号 {job_id} 告知运维人员",
        en="An internal error stopped the import and nothing was written; give job id "
        "{job_id} to the operators",
    )


class UnknownImportKind(ProblemError):
    status = 500
    code = "import-kind-unknown"
    title = Message(zh="导入失败", en="Import failed")
    detail = Message(
        zh="此版本的服务不能处理 {kind} 类导入", en="This version cannot run {kind} imports"
    )


def problem_record(error: ProblemError) -> dict[str, Any]:
    """A problem kept in both languages, so that each caller reads it in its own."""
    return {
        "status": error.status,
        "code": error.code,
        "title": {"zh": error.title.zh, "en": error.title.en},
        "detail": {"zh": error.render_detail("zh"), "en": error.render_detail("en")},
        "extensions": jsonable_encoder(error.extensions()),
    }


def problem_document(record: dict[str, Any], language: Language) -> dict[str, Any]:
    """The RFC 9457 document the synchronous route would have answered."""
    document: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + str(record.get("code", "")),
        "title": (record.get("title") or {}).get(language, ""),
        "status": int(record.get("status", 500)),
    }
    detail = (record.get("detail") or {}).get(language)
    if detail:
        document["detail"] = detail
    document.update(record.get("extensions") or {})
    return document
