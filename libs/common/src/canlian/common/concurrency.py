"""Optimistic concurrency: an object's version is its ETag, and a write names the version it
was made against with If-Match.

A GET of one object answers `ETag: "<version>"`. A PATCH, PUT or state transition of an
existing object sends that value back in `If-Match`; the service compares it with the row it
has just loaded (for update, where it locks) in the request's transaction:

* a different version: 412 `precondition-failed`, nothing changes; the problem carries the
  current ETag, so the caller re-reads the object and decides again;
* no If-Match: 428 `if-match-required`, unless `CANLIAN_REQUIRE_IF_MATCH=false` (a migration
  period for old clients; a wrong version is still refused);
* `If-Match: *` matches any version.

Pure: no web framework here; the FastAPI dependency that reads the header lives in
`canlian.common.dependencies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canlian.common.errors import ProblemError
from canlian.common.i18n import Message


def etag(version: int) -> str:
    """The entity tag of an object at a version (strong: a version names one state)."""
    return f'"{version}"'


def _opaque(tag: str) -> str:
    """An entity tag's opaque part; weak tags (W/) compare by it too (RFC 9110 weak
    comparison), as proxies may weaken a tag on the way."""
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag


def matches(header: str, version: int) -> bool:
    """Whether an If-Match field value (a list of tags, or `*`) names this version."""
    return names_tag(header, etag(version))


def names_tag(header: str, wanted: str) -> bool:
    """Whether an If-Match or If-None-Match field value (a list of tags, or `*`) names this
    entity tag."""
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or _opaque(tag) == wanted:
            return True
    return False


class PreconditionFailed(ProblemError):
    status = 412
    code = "precondition-failed"
    title = Message(zh="数据已被修改", en="The object has changed")
    detail = Message(
        zh="该对象已被他人修改(当前版本 {current_etag},您提交的是 {if_match}),请重新读取后再提交",
        en="The object was changed since you read it (it is now {current_etag}, you sent "
        "{if_match}); read it again and resubmit",
    )

    def extensions(self) -> dict[str, Any]:
        return {"current_etag": self.params["current_etag"]}

    def headers(self) -> dict[str, str]:
        return {"ETag": str(self.params["current_etag"])}


class IfMatchRequired(ProblemError):
    status = 428
    code = "if-match-required"
    title = Message(zh="缺少 If-Match", en="If-Match required")
    detail = Message(
        zh="修改前请先读取该对象,并在 If-Match 头中提交其 ETag(当前为 {current_etag})",
        en="Read the object first and send its ETag in the If-Match header "
        "(it is {current_etag} now)",
    )

    def extensions(self) -> dict[str, Any]:
        return {"current_etag": self.params["current_etag"]}


@dataclass(frozen=True, slots=True)
class Precondition:
    """A write's If-Match, checked by the service against the row it loaded."""

    if_match: str | None
    required: bool = True

    def check(self, version: int) -> None:
        """Raise unless the request was made against this version of the object."""
        if self.if_match is None:
            if self.required:
                raise IfMatchRequired(current_etag=etag(version))
            return
        if not matches(self.if_match, version):
            raise PreconditionFailed(current_etag=etag(version), if_match=self.if_match)

    def check_if_present(self, version: int | None) -> None:
        """A create-or-replace (PUT of a keyed value): a create (no current version) has
        nothing to name, a replacement names the version it was made against."""
        if version is not None:
            self.check(version)

    def check_collection(self, version: int, *, replaces: bool) -> None:
        """A write into a collection versioned as a whole (a plan's targets or reported
        values): adding only new entries needs no If-Match, replacing or removing one does;
        an If-Match sent is always compared."""
        if self.if_match is None and not replaces:
            return
        self.check(version)


# Writes made by the platform itself (consumers, commands), not against a version a caller read.
UNCONDITIONAL = Precondition(if_match="*")
